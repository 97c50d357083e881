import { useTranslation } from 'react-i18next';
import { RpcError } from '../api/client';

/** Turns an RpcError into a title and a message in the UI language. */
export function useErrorText() {
  const { t } = useTranslation();
  return {
    title: (e: unknown) => (e instanceof RpcError ? t(`errors.${e.code}`) : t('errors.title')),
    message: (e: unknown) => {
      if (!(e instanceof RpcError)) return t('errors.INTERNAL');
      // Server messages are Indonesian; in English we fall back to the generic text for the code.
      return e.message || t(`errors.${e.code}`);
    },
  };
}
