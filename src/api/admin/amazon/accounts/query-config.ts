import { ACCOUNT_PUBLIC_FIELDS } from "../../../../modules/amazon/utils/public-account"

/** Only public columns can be asked for: the encrypted secrets are not selectable through the API. */
export const listAccountsQueryConfig = {
  defaults: [...ACCOUNT_PUBLIC_FIELDS],
  allowed: [...ACCOUNT_PUBLIC_FIELDS],
  isList: true,
}

export const retrieveAccountQueryConfig = {
  defaults: [...ACCOUNT_PUBLIC_FIELDS],
  allowed: [...ACCOUNT_PUBLIC_FIELDS],
  isList: false,
}

/** Read only to report "set"; publicAccount drops them before a response is written. */
export const SECRET_PRESENCE_FIELDS = ["lwa_client_secret_encrypted", "refresh_token_encrypted"]
