import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type Setup } from '../routers/helpers';

const CSV = `nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register
Ahmad Fauzi,6281234567890,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,3201234567890001,2025-01-15
Siti Nurhaliza,6289876543210,10000,10,WiFi Sukamaju,Paket 20 Mbps,150000,140000,3201234567890002,2025-02-01
Salah Telepon,12345,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
Paket Aneh,6281111111111,0,5,WiFi Sukamaju,Paket 99 Mbps,100000,100000,,2025-01-15
Duplikat Ahmad,081234567890,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
Tanggal Rusak,6282222222222,0,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-02-30
Total Salah,6283333333333,10000,5,WiFi Sukamaju,Paket 10 Mbps,100000,100000,,2025-01-15
`;

describe('customer import', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup({ version: '6.49' });
    await s.t.ok(
      'packages.create',
      { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 100_000, pppProfile: 'P10' },
      s.token,
    );
    await s.t.ok(
      'packages.create',
      { name: 'Paket 20 Mbps', speed: '20 Mbps', price: 150_000, pppProfile: 'P20' },
      s.token,
    );
  });
  afterAll(async () => s.close());

  it('imports the good rows in one go and explains each bad one', async () => {
    const { t, token, routerId } = s;
    const input = { fileName: 'pelanggan.csv', content: CSV, format: 'csv' as const, routerId };
    const preview = await t.ok('customers.import.preview', input, token);
    expect(preview.valid).toBe(2);
    const why = Object.fromEntries(
      preview.rows.filter((r) => !r.valid).map((r) => [r.name, r.errors.join('; ')]),
    );
    expect(why['Salah Telepon']).toMatch(/telepon tidak valid/i);
    expect(why['Paket Aneh']).toMatch(/Paket tidak dikenal/);
    expect(why['Duplikat Ahmad']).toMatch(/Duplikat/);
    expect(why['Tanggal Rusak']).toMatch(/Tanggal register tidak valid/);
    expect(why['Total Salah']).toMatch(/Total bayar/);
    const res = await t.ok('customers.import.commit', input, token);
    expect(res).toMatchObject({ imported: 2, skipped: 5 });
    const list = await t.ok('customers.list', { limit: 50 }, token);
    expect(list.rows.map((r) => r.name).sort()).toEqual(['Ahmad Fauzi', 'Siti Nurhaliza']);
    const subs = await t.ok('subscriptions.list', {}, token);
    expect(subs.rows.find((x) => x.customerName === 'Siti Nurhaliza')).toMatchObject({
      billingDay: 10,
      discount: 10_000,
      packageName: 'Paket 20 Mbps',
    });
    // Importing the same file again finds them all duplicates.
    expect((await t.ok('customers.import.preview', input, token)).valid).toBe(0);
  });

  it('exports customers and invoices as CSV and XLSX', async () => {
    const { t, token } = s;
    const csv = await t.ok('customers.export', { format: 'csv' }, token);
    const text = Buffer.from(csv.dataBase64, 'base64').toString('utf8');
    expect(text).toContain('Ahmad Fauzi');
    expect(csv.rows).toBe(2);
    const xlsx = await t.ok('invoices.export', { format: 'xlsx' }, token);
    expect(Buffer.from(xlsx.dataBase64, 'base64').subarray(0, 2).toString()).toBe('PK');
  });
});
