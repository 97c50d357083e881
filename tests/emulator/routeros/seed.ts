/** Ready-made router contents: a realistic small office for the demo, and bulk rows for benches. */
import type { RouterOsEmulator } from './emulator.js';

/** A small RT/RW Net office: voucher profiles (VOUCHER_SYSTEM), PPPoE profiles (PPPOE_SYSTEM), some sessions. */
export function seedOffice(emu: RouterOsEmulator): void {
  emu.menu('/system/identity').single()['name'] = 'RukunNet-Pusat';
  emu.seed('/ip/hotspot/user/profile', [
    {
      name: 'voucher-3jam',
      'shared-users': '1',
      'rate-limit': '2M/2M',
      comment: 'VOUCHER_SYSTEM',
      'on-login': ':log info "login $user"',
    },
    {
      name: 'voucher-1hari',
      'shared-users': '1',
      'rate-limit': '3M/3M',
      comment: 'VOUCHER_SYSTEM',
      'on-login': ':log info "login $user"',
    },
    { name: 'voucher-1minggu', 'shared-users': '2', 'rate-limit': '5M/5M', comment: 'VOUCHER_SYSTEM' },
  ]);
  emu.seed('/ip/hotspot/user', [
    { name: 'admin-kantor', password: 'rahasia', profile: 'default', comment: 'Operator kantor' },
    {
      name: 'KX7P2M',
      password: 'KX7P2M',
      profile: 'voucher-3jam',
      'limit-uptime': '3h',
      comment: 'VOUCHER_SYSTEM|5000|0|0',
    },
    {
      name: 'QH4N8R',
      password: 'QH4N8R',
      profile: 'voucher-1hari',
      'limit-uptime': '1d',
      comment: 'VOUCHER_SYSTEM|10000|0|0',
    },
    {
      name: 'ZT9W3C',
      password: 'ZT9W3C',
      profile: 'voucher-1minggu',
      'limit-uptime': '1w',
      comment: 'VOUCHER_SYSTEM|35000|0|0',
    },
    {
      name: 'MB6Y5J',
      password: 'MB6Y5J',
      profile: 'voucher-3jam',
      'limit-uptime': '3h',
      comment: 'VOUCHER_SYSTEM|5000|0|0',
    },
  ]);
  emu.seed('/ppp/profile', [
    {
      name: 'paket-10M',
      'local-address': '10.10.10.1',
      'remote-address': 'pppoe-pool',
      'rate-limit': '10M/10M',
      comment: 'PPPOE_SYSTEM',
    },
    {
      name: 'paket-20M',
      'local-address': '10.10.10.1',
      'remote-address': 'pppoe-pool',
      'rate-limit': '20M/20M',
      comment: 'PPPOE_SYSTEM',
    },
    {
      name: 'isolir',
      'local-address': '10.10.10.1',
      'remote-address': 'pppoe-pool',
      'rate-limit': '256k/256k',
      'address-list': 'isolir',
      comment: 'PPPOE_SYSTEM',
    },
  ]);
  emu.seed('/ppp/secret', [
    {
      name: 'budi-rt03',
      password: 'budi123',
      service: 'pppoe',
      profile: 'paket-10M',
      comment: 'Budi Santoso — RT 03',
    },
    {
      name: 'siti-rt01',
      password: 'siti123',
      service: 'pppoe',
      profile: 'paket-20M',
      comment: 'Pelanggan Bu Siti — lunas ✓',
    },
    {
      name: 'warung-joko',
      password: 'joko123',
      service: 'pppoe',
      profile: 'paket-10M',
      comment: 'Warung Pak Joko',
    },
    {
      name: 'agus-rw02',
      password: 'agus123',
      service: 'pppoe',
      profile: 'isolir',
      comment: 'Agus — telat bayar',
    },
  ]);
  emu.hotspotLogin({ user: 'KX7P2M', password: 'KX7P2M', mac: 'A4:5E:60:11:22:33', ip: '10.5.50.12' });
  emu.hotspotLogin({ user: 'QH4N8R', password: 'QH4N8R', mac: 'F0:18:98:44:55:66', ip: '10.5.50.27' });
  emu.addTraffic('KX7P2M', 48_000_000, 3_200_000);
  emu.pppConnect({ name: 'budi-rt03', callerId: 'B8:69:F4:01:02:03' });
  emu.pppConnect({ name: 'siti-rt01', callerId: 'B8:69:F4:0A:0B:0C' });
  emu.advanceTime(37 * 60_000);
}

/** `hotspotUsers` voucher users and `pppSecrets` PPPoE secrets, shaped like real ones (for read benches). */
export function seedBulk(emu: RouterOsEmulator, hotspotUsers: number, pppSecrets: number): void {
  const users = [];
  for (let i = 0; i < hotspotUsers; i++) {
    const code = `V${i.toString(36).toUpperCase().padStart(6, '0')}`;
    users.push({
      name: code,
      password: code,
      profile: 'default',
      'limit-uptime': '3h',
      comment: `VOUCHER_SYSTEM|5000|${1_790_000_000 + i}|${1_790_010_800 + i}`,
    });
  }
  emu.seed('/ip/hotspot/user', users);
  const secrets = [];
  for (let i = 0; i < pppSecrets; i++) {
    secrets.push({
      name: `pelanggan-${i}`,
      password: `pw${i}x`,
      service: 'pppoe',
      profile: 'default',
      'remote-address': `10.${20 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
      comment: `Pelanggan ${i} — RT ${(i % 12) + 1}`,
    });
  }
  emu.seed('/ppp/secret', secrets);
}
