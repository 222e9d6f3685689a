import { ACCOUNT_PUBLIC_FIELDS } from "../../../../modules/amazon/service"

/** Only public columns can be asked for: the encrypted secrets are not selectable through the API. */
export const listAccountsQueryConfig = {
  defaults: [...ACCOUNT_PUBLIC_FIELDS],
  allowed: [...ACCOUNT_PUBLIC_FIELDS],
  isList: true,
}
