/** Module names of this plugin, used to resolve services from the container. */
export const PluginModule = {
  AMAZON: "amazon",
} as const
