import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/index';
import { rpc, RpcError } from './client';
import { useErrorText } from '../lib/errors';

export const queryKey = <M extends MethodName>(method: M, input?: MethodInput<M>) =>
  input === undefined ? [method] : [method, input];

export function useRpcQuery<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  options: Omit<UseQueryOptions<MethodOutput<M>, RpcError>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<MethodOutput<M>, RpcError>({
    queryKey: queryKey(method, input),
    queryFn: () => rpc(method, input),
    ...options,
  });
}

/**
 * A contract call from a form or button: shows the translated error as a notification unless the caller
 * handles it, and invalidates the given queries on success.
 */
export function useRpcMutation<M extends MethodName>(
  method: M,
  opts: { invalidate?: MethodName[]; successMessage?: string; silentErrors?: boolean } = {},
) {
  const qc = useQueryClient();
  const errorText = useErrorText();
  return useMutation<MethodOutput<M>, RpcError, MethodInput<M>>({
    mutationFn: (input) => rpc(method, input),
    onSuccess: async () => {
      await Promise.all((opts.invalidate ?? []).map((m) => qc.invalidateQueries({ queryKey: [m] })));
      if (opts.successMessage) notifications.show({ color: 'teal', message: opts.successMessage });
    },
    onError: (e) => {
      if (!opts.silentErrors)
        notifications.show({ color: 'red', title: errorText.title(e), message: errorText.message(e) });
    },
  });
}
