/** A seed-format CSV of `n` valid customers on "Paket 10 Mbps" (150,000), each with its own phone number. */
export function importCsv(n: number, first = 0): string {
  const lines = ['nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register'];
  for (let i = first; i < first + n; i++)
    lines.push(
      `Pelanggan ${i},62812${String(i).padStart(8, '0')},0,${(i % 28) + 1},Area ${i % 40},Paket 10 Mbps,150000,150000,,2025-01-15`,
    );
  return `${lines.join('\n')}\n`;
}

export const IMPORT_PACKAGE = { name: 'Paket 10 Mbps', speed: '10 Mbps', price: 150_000, pppProfile: 'P10' };
