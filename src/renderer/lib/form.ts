import type { z } from 'zod';
import type { RpcError } from '../api/client';

/** @mantine/form validator from a zod schema (the same schema the core validates with). */
export function zodValidate<S extends z.ZodType>(schema: S) {
  return (values: unknown): Record<string, string> => {
    const r = schema.safeParse(values);
    if (r.success) return {};
    const errors: Record<string, string> = {};
    for (const issue of r.error.issues) {
      const key = issue.path.map(String).join('.');
      errors[key] ??= issue.message;
    }
    return errors;
  };
}

/** Field errors the server named (VALIDATION / CONFLICT with issues), for form.setErrors. */
export function serverFieldErrors(e: RpcError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of e.details?.issues ?? []) out[i.path] ??= i.message;
  return out;
}
