import type { Page } from 'playwright-core';
import type { Core } from '../../src/main/core';

/** Logs in through the real login form and waits for the app shell. */
export async function loginThroughUi(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByTestId('user-menu').waitFor();
}

/** A contract call straight into the core (test set-up), throwing on an error envelope. */
export async function callOk(
  core: Core,
  method: string,
  input: unknown,
  token: string | null,
): Promise<Record<string, unknown>> {
  const r = await core.call(method, input, { token, via: 'http' });
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as Record<string, unknown>;
}
