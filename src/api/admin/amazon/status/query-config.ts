/** The status summary is a computed document, not an entity: no selectable fields. */
export const statusQueryConfig = {
  defaults: [] as string[],
  allowed: [] as string[],
  isList: false,
}
