import { listAudit } from '../audit-list';
import { listCustomers } from '../billing/customers';
import { listInvoices } from '../billing/invoices';
import { listPayments } from '../billing/payments';
import { billingSummary } from '../billing/summary';
import { listVouchers } from '../vouchers/manage';
import type { Reader } from './reader';

/**
 * Reads that grow with the data (long lists, searches, a year of sums). They run on a read worker's own
 * connection in the app (src/main/db/read-worker.ts) and inline on the main connection for `:memory:`.
 * Inputs and outputs are plain data: they cross the thread boundary by structured clone.
 */
export const readTasks = {
  'invoices.list': (r: Reader, input: Parameters<typeof listInvoices>[1]) => listInvoices(r, input),
  'customers.list': (r: Reader, input: Parameters<typeof listCustomers>[1]) => listCustomers(r, input),
  'payments.list': (r: Reader, input: Parameters<typeof listPayments>[1]) => listPayments(r, input),
  'vouchers.list': (r: Reader, input: Parameters<typeof listVouchers>[1]) => listVouchers(r, input),
  'audit.list': (r: Reader, input: Parameters<typeof listAudit>[1]) => listAudit(r, input),
  'billing.summary': (r: Reader, input: Parameters<typeof billingSummary>[1]) => billingSummary(r, input),
};

export type ReadTasks = typeof readTasks;
export type ReadTask = keyof ReadTasks;
export type ReadInput<K extends ReadTask> = Parameters<ReadTasks[K]>[1];
export type ReadOutput<K extends ReadTask> = ReturnType<ReadTasks[K]>;
