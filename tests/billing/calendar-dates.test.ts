import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DATE_MESSAGE,
  DATE_SHAPE,
  PERIOD_MESSAGE,
  PERIOD_SHAPE,
  isCalendarDate,
  isPeriod,
} from '../../src/shared/contract/dates';
import { contract, type MethodName } from '../../src/shared/contract/index';
import { testCore, type TestCore } from '../helpers/core';

/** Shapes that look like dates but name no day (or a day no office records). */
const BAD_DATES = [
  '2026-13-45',
  '0000-00-00',
  '2026-02-31',
  '2025-02-29',
  '2026-04-31',
  '2026-00-10',
  '0099-01-01',
];
const BAD_PERIODS = ['2026-13', '0000-00', '2026-00', '0099-05'];

/** Every method that takes a date or a period, with an input that is valid except for that field. */
const DATE_METHODS: { method: MethodName; input: (d: string) => unknown; path: string }[] = [
  { method: 'customers.create', input: (d) => ({ name: 'Ahmad', registeredOn: d }), path: 'registeredOn' },
  {
    method: 'customers.update',
    input: (d) => ({ id: randomUUID(), version: 1, promiseUntil: d }),
    path: 'promiseUntil',
  },
  {
    method: 'subscriptions.create',
    input: (d) => ({ customerId: randomUUID(), packageId: randomUUID(), routerId: 'r1', startDate: d }),
    path: 'startDate',
  },
  { method: 'invoices.generate', input: (d) => ({ date: d }), path: 'date' },
  { method: 'billing.settings.update', input: (d) => ({ version: 1, holidays: [d] }), path: 'holidays.0' },
  {
    method: 'vouchers.sales.report',
    input: (d) => ({ from: d, to: '2026-01-31', groupBy: 'day' }),
    path: 'from',
  },
  {
    method: 'vouchers.sales.export',
    input: (d) => ({ from: '2026-01-01', to: d, groupBy: 'day', format: 'csv' }),
    path: 'to',
  },
];
const PERIOD_METHODS: { method: MethodName; input: (p: string) => unknown; path: string }[] = [
  { method: 'billing.summary', input: (p) => ({ period: p }), path: 'period' },
  { method: 'invoices.list', input: (p) => ({ period: p }), path: 'period' },
  { method: 'invoices.export', input: (p) => ({ format: 'csv', period: p }), path: 'period' },
];

describe('calendar dates in the contract', () => {
  it('accepts real days (leap years included) and refuses the rest', () => {
    for (const good of ['2026-01-31', '2024-02-29', '2000-02-29', '2026-12-31', '1900-01-01'])
      expect(isCalendarDate(good), good).toBe(true);
    for (const bad of [...BAD_DATES, '1900-02-29', '2026-1-05', '2026-01-05T00:00', ' 2026-01-05'])
      expect(isCalendarDate(bad), bad).toBe(false);
    for (const good of ['2026-01', '2026-12']) expect(isPeriod(good), good).toBe(true);
    for (const bad of [...BAD_PERIODS, '2026-1', '2026-01-01']) expect(isPeriod(bad), bad).toBe(false);
  });

  describe('through the dispatcher', () => {
    let t: TestCore;
    let token: string;
    beforeAll(async () => {
      t = await testCore();
      token = await t.setupOwner();
    });
    afterAll(async () => t.core.stop());

    it('every method taking a date answers VALIDATION naming the field, and does nothing', async () => {
      for (const { method, input, path } of DATE_METHODS) {
        for (const bad of BAD_DATES) {
          const res = await t.raw(method, input(bad), token);
          expect(res.ok, `${method} ${bad}`).toBe(false);
          if (res.ok) continue;
          expect(res.error.code, `${method} ${bad}`).toBe('VALIDATION');
          expect(res.error.details?.issues, `${method} ${bad}`).toContainEqual(
            expect.objectContaining({ path, message: DATE_MESSAGE }),
          );
          expect(res.error.message).toContain('Tanggal tidak valid');
        }
      }
      // Nothing was written by the refused calls.
      expect((await t.ok('customers.list', {}, token)).total).toBe(0);
      expect((await t.ok('invoices.list', {}, token)).total).toBe(0);
      // The same inputs with a real day get past validation (whatever the service then says).
      for (const { method, input } of DATE_METHODS) {
        const good = await t.raw(method, input('2024-02-29'), token);
        if (!good.ok) expect(good.error.code, `${method} 2024-02-29`).not.toBe('VALIDATION');
      }
    });

    it('every method taking a period answers VALIDATION for a month that does not exist', async () => {
      for (const { method, input, path } of PERIOD_METHODS) {
        for (const bad of BAD_PERIODS) {
          const res = await t.raw(method, input(bad), token);
          expect(res.ok || res.error.code, `${method} ${bad}`).toBe('VALIDATION');
          if (res.ok) continue;
          expect(res.error.details?.issues).toContainEqual(
            expect.objectContaining({ path, message: PERIOD_MESSAGE }),
          );
        }
        const good = await t.raw(method, input('2026-02'), token);
        expect(good.ok, `${method} 2026-02`).toBe(true);
      }
      const bulk = await t.raw(
        'whatsapp.bulk.preview',
        { target: { filter: { unpaidPeriod: '2026-13' } }, kind: 'reminder' },
        token,
      );
      expect(bulk.ok || bulk.error.code).toBe('VALIDATION');
    });

    it('a promise-to-pay date of 31 February is refused on a real customer', async () => {
      const c = await t.ok('customers.create', { name: 'Siti Aminah', phone: '081234567890' }, token);
      const res = await t.raw(
        'customers.update',
        { id: c.id, version: c.version, promiseUntil: '2026-02-31' },
        token,
      );
      expect(res.ok || res.error.code).toBe('VALIDATION');
      expect((await t.ok('customers.get', { id: c.id }, token)).customer.promiseUntil).toBeNull();
    });
  });

  it('every date-like pattern in the contract is the calendar-checked one', () => {
    // Guards against a method declaring its own YYYY-MM-DD regex instead of CalendarDate / Period.
    const ours = new Set([DATE_SHAPE.source, PERIOD_SHAPE.source]);
    const patterns = (node: unknown, out: string[] = []): string[] => {
      if (Array.isArray(node)) node.forEach((n) => patterns(n, out));
      else if (node && typeof node === 'object')
        for (const [k, v] of Object.entries(node)) {
          if (k === 'pattern' && typeof v === 'string') out.push(v);
          else patterns(v, out);
        }
      return out;
    };
    const offenders = Object.entries(contract).flatMap(([name, def]) =>
      patterns(z.toJSONSchema(def.input, { io: 'input', unrepresentable: 'any' }))
        .filter((p) => p.includes('\\d{4}') && !ours.has(p))
        .map((p) => `${name}: ${p}`),
    );
    expect(offenders).toEqual([]);
    expect(
      patterns(z.toJSONSchema(contract['customers.update'].input, { io: 'input', unrepresentable: 'any' })),
    ).toContain(DATE_SHAPE.source);
  });
});
