/**
 * The menus the emulator keeps, with RouterOS defaults and the exact trap texts of a real router.
 * Version differences live in `VersionProfile`.
 */
import { formatRosDuration } from '../../../src/main/routeros/values.js';
import type { FieldDef, MenuDef, Row } from './menu.js';

export type EmulatorVersion = '6.49' | '7.15' | '7.18';

export interface VersionProfile {
  version: EmulatorVersion;
  /** What `/system/resource print` reports. */
  fullVersion: string;
  major: number;
  minor: number;
  /** 7.10+ prints ISO dates. */
  isoDates: boolean;
  /** 7.18+ answers an empty print with `!empty`. */
  emptyReply: boolean;
  /** Only 6.x still speaks the pre-6.43 challenge login. */
  legacyLogin: boolean;
  boardName: string;
  architecture: string;
}

export const PROFILES: Record<EmulatorVersion, VersionProfile> = {
  '6.49': {
    version: '6.49',
    fullVersion: '6.49.10 (long-term)',
    major: 6,
    minor: 49,
    isoDates: false,
    emptyReply: false,
    legacyLogin: true,
    boardName: 'RB951Ui-2HnD',
    architecture: 'mipsbe',
  },
  '7.15': {
    version: '7.15',
    fullVersion: '7.15.3 (stable)',
    major: 7,
    minor: 15,
    isoDates: true,
    emptyReply: false,
    legacyLogin: false,
    boardName: 'hAP ac^2',
    architecture: 'arm',
  },
  '7.18': {
    version: '7.18',
    fullVersion: '7.18.2 (stable)',
    major: 7,
    minor: 18,
    isoDates: true,
    emptyReply: true,
    legacyLogin: false,
    boardName: 'hAP ax^2',
    architecture: 'arm64',
  },
};

const str = (name: string, def?: string): FieldDef => (def === undefined ? { name } : { name, default: def });
const bool = (name: string, def?: string): FieldDef => ({
  name,
  type: 'bool',
  ...(def === undefined ? {} : { default: def }),
});
const dur = (name: string, def?: string): FieldDef => ({
  name,
  type: 'duration',
  ...(def === undefined ? {} : { default: def }),
});
const int = (name: string, def?: string): FieldDef => ({
  name,
  type: 'int',
  ...(def === undefined ? {} : { default: def }),
});
const ro = (name: string, def?: string): FieldDef => ({
  name,
  readOnly: true,
  ...(def === undefined ? {} : { default: def }),
});

const CRUD = ['add', 'set', 'remove', 'print', 'enable', 'disable', 'listen', 'unset'] as const;
const READ_REMOVE = ['print', 'remove', 'listen'] as const;

export interface ComputeContext {
  profile: VersionProfile;
  uptimeMs(): number;
  clock(): { date: string; time: string };
  timeZone(): { name: string; offset: string };
}

export function buildMenuDefs(p: VersionProfile, ctx: ComputeContext): MenuDef[] {
  const v7 = p.major >= 7;
  return [
    {
      path: '/ip/hotspot',
      verbs: CRUD,
      fields: [
        str('name'),
        str('interface'),
        str('address-pool', 'none'),
        { name: 'profile', type: { ref: '/ip/hotspot/profile' }, default: 'default' },
        dur('idle-timeout', '5m'),
        str('keepalive-timeout', 'none'),
        str('addresses-per-mac', '2'),
        ro('HTTPS', 'false'),
        ro('invalid', 'false'),
        bool('disabled', 'false'),
      ],
      unique: { fields: ['name'], message: 'failure: already have hotspot server with such name' },
      defaults: [{ name: 'hotspot1', interface: 'bridge', 'address-pool': 'hs-pool-1', profile: 'hsprof1' }],
    },
    {
      path: '/ip/hotspot/profile',
      verbs: CRUD,
      fields: [
        str('name'),
        str('hotspot-address'),
        str('dns-name'),
        str('html-directory', 'hotspot'),
        str('login-by', 'cookie,http-chap'),
        str('rate-limit'),
        bool('use-radius', 'false'),
        bool('default', 'false'),
      ],
      unique: { fields: ['name'], message: 'failure: already have such profile' },
      defaults: [
        { '.id': '*0', name: 'default', 'html-directory': 'hotspot', default: 'true' },
        { name: 'hsprof1', 'hotspot-address': '10.5.50.1', 'dns-name': 'hotspot.rukun.id' },
      ],
    },
    {
      path: '/ip/hotspot/user',
      verbs: [...CRUD, 'reset-counters'],
      fields: [
        { name: 'server', type: { ref: '/ip/hotspot', extra: ['all'] }, default: 'all' },
        str('name'),
        str('password'),
        str('address'),
        str('mac-address'),
        { name: 'profile', type: { ref: '/ip/hotspot/user/profile' }, default: 'default' },
        str('routes'),
        str('email'),
        dur('limit-uptime'),
        int('limit-bytes-in'),
        int('limit-bytes-out'),
        int('limit-bytes-total'),
        ro('uptime', '0s'),
        ro('bytes-in', '0'),
        ro('bytes-out', '0'),
        ro('packets-in', '0'),
        ro('packets-out', '0'),
        ro('dynamic', 'false'),
        bool('disabled', 'false'),
        str('comment'),
      ],
      unique: { fields: ['name'], message: 'failure: already have user with this name' },
      defaults: [],
    },
    {
      path: '/ip/hotspot/user/profile',
      verbs: CRUD,
      fields: [
        str('name'),
        str('address-pool', 'none'),
        str('idle-timeout', 'none'),
        dur('keepalive-timeout', '2m'),
        dur('status-autorefresh', '1m'),
        str('shared-users', '1'),
        str('rate-limit'),
        dur('session-timeout'),
        bool('add-mac-cookie', 'true'),
        dur('mac-cookie-timeout', '3d'),
        str('address-list'),
        str('parent-queue'),
        bool('transparent-proxy', 'false'),
        str('open-status-page', 'always'),
        str('on-login'),
        str('on-logout'),
        str('comment'),
        ro('default', 'false'),
      ],
      unique: { fields: ['name'], message: 'failure: already have such profile' },
      defaults: [{ '.id': '*0', name: 'default', default: 'true' }],
    },
    {
      path: '/ip/hotspot/active',
      verbs: READ_REMOVE,
      fields: [
        ro('server'),
        ro('user'),
        ro('domain'),
        ro('address'),
        ro('mac-address'),
        ro('login-by'),
        ro('uptime', '0s'),
        ro('idle-time', '0s'),
        ro('session-time-left'),
        ro('idle-timeout'),
        ro('keepalive-timeout'),
        ro('bytes-in', '0'),
        ro('bytes-out', '0'),
        ro('packets-in', '0'),
        ro('packets-out', '0'),
        ro('radius', 'false'),
        str('comment'),
      ],
    },
    {
      path: '/ppp/secret',
      verbs: CRUD,
      fields: [
        str('name'),
        {
          name: 'service',
          type: { enum: ['any', 'async', 'l2tp', 'ovpn', 'pppoe', 'pptp', 'sstp'] },
          default: 'any',
        },
        str('caller-id', ''),
        str('password', ''),
        { name: 'profile', type: { ref: '/ppp/profile' }, default: 'default' },
        str('routes', ''),
        int('limit-bytes-in', '0'),
        int('limit-bytes-out', '0'),
        str('local-address'),
        str('remote-address'),
        ...(v7
          ? [
              str('ipv6-routes', ''),
              ro('last-logged-out'),
              ro('last-caller-id'),
              ro('last-disconnect-reason'),
            ]
          : []),
        bool('disabled', 'false'),
        str('comment'),
      ],
      unique: { fields: ['name'], message: 'failure: secret with the same name already exists' },
    },
    {
      path: '/ppp/profile',
      verbs: CRUD,
      fields: [
        str('name'),
        str('local-address'),
        str('remote-address'),
        str('bridge'),
        str('incoming-filter'),
        str('outgoing-filter'),
        str('address-list', ''),
        str('dns-server'),
        str('change-tcp-mss', 'yes'),
        str('use-compression', 'default'),
        str('use-encryption', 'default'),
        str('only-one', 'default'),
        str('rate-limit'),
        dur('session-timeout'),
        dur('idle-timeout'),
        str('parent-queue'),
        str('on-up', ''),
        str('on-down', ''),
        str('comment'),
        ro('default', 'false'),
      ],
      unique: { fields: ['name'], message: 'failure: profile with the same name already exists' },
      defaults: [
        { '.id': '*0', name: 'default', default: 'true' },
        { '.id': '*FFFFFFFE', name: 'default-encryption', 'use-encryption': 'yes', default: 'true' },
      ],
    },
    {
      path: '/ppp/active',
      verbs: READ_REMOVE,
      fields: [
        ro('name'),
        ro('service'),
        ro('caller-id'),
        ro('encoding', ''),
        ro('address'),
        ro('uptime', '0s'),
        ro('session-id'),
        ro('limit-bytes-in', '0'),
        ro('limit-bytes-out', '0'),
        ro('radius', 'false'),
        str('comment'),
      ],
    },
    {
      // Mikhmon lists these (`?dynamic=false`) to offer a parent queue for a hotspot user profile.
      path: '/queue/simple',
      verbs: [...CRUD, 'reset-counters'],
      addParams: ['place-before'],
      fields: [
        str('name'),
        str('target'),
        str('dst'),
        str('parent', 'none'),
        str('max-limit', '0/0'),
        str('limit-at', '0/0'),
        str('burst-limit', '0/0'),
        str('burst-threshold', '0/0'),
        str('burst-time', '0s/0s'),
        str('priority', '8/8'),
        str('queue', 'default-small/default-small'),
        str('packet-marks', ''),
        ro('bytes', '0/0'),
        ro('packets', '0/0'),
        ro('rate', '0bps/0bps'),
        ro('invalid', 'false'),
        ro('dynamic', 'false'),
        bool('disabled', 'false'),
        str('comment'),
      ],
      unique: { fields: ['name'], message: 'failure: already have such name' },
    },
    {
      path: '/ip/pool',
      verbs: CRUD,
      fields: [str('name'), str('ranges'), str('next-pool', 'none'), str('comment')],
      unique: { fields: ['name'], message: 'failure: already have such pool' },
      defaults: [
        { name: 'hs-pool-1', ranges: '10.5.50.2-10.5.50.254' },
        { name: 'pppoe-pool', ranges: '10.10.10.2-10.10.10.254' },
      ],
    },
    {
      path: '/ip/firewall/address-list',
      verbs: CRUD,
      fields: [
        str('list'),
        str('address'),
        dur('timeout'),
        ro('creation-time'),
        ro('dynamic', 'false'),
        bool('disabled', 'false'),
        str('comment'),
      ],
      unique: { fields: ['list', 'address'], message: 'failure: already have such entry' },
    },
    {
      path: '/ip/firewall/nat',
      verbs: [...CRUD, 'reset-counters'],
      addParams: ['place-before'],
      fields: [
        str('chain'),
        {
          name: 'action',
          type: {
            enum: [
              'accept',
              'add-dst-to-address-list',
              'add-src-to-address-list',
              'dst-nat',
              'jump',
              'log',
              'masquerade',
              'netmap',
              'passthrough',
              'redirect',
              'return',
              'same',
              'src-nat',
            ],
          },
          default: 'accept',
        },
        str('protocol'),
        str('src-address'),
        str('dst-address'),
        str('src-port'),
        str('dst-port'),
        str('src-address-list'),
        str('dst-address-list'),
        str('in-interface'),
        str('out-interface'),
        str('to-addresses'),
        str('to-ports'),
        bool('log', 'false'),
        str('log-prefix', ''),
        ro('bytes', '0'),
        ro('packets', '0'),
        ro('invalid', 'false'),
        ro('dynamic', 'false'),
        bool('disabled', 'false'),
        str('comment'),
      ],
      defaults: [
        { chain: 'srcnat', action: 'masquerade', 'out-interface': 'ether1', comment: 'defconf: masquerade' },
      ],
    },
    {
      path: '/interface',
      verbs: ['print', 'set', 'enable', 'disable', 'listen'],
      fields: [
        str('name'),
        ro('default-name'),
        ro('type'),
        ro('mtu', '1500'),
        ro('actual-mtu', '1500'),
        ro('mac-address'),
        ro('running', 'true'),
        bool('disabled', 'false'),
        str('comment'),
      ],
      defaults: [
        {
          name: 'ether1',
          'default-name': 'ether1',
          type: 'ether',
          'mac-address': '48:8F:5A:00:00:01',
          comment: 'ISP',
        },
        { name: 'ether2', 'default-name': 'ether2', type: 'ether', 'mac-address': '48:8F:5A:00:00:02' },
        { name: 'wlan1', 'default-name': 'wlan1', type: 'wlan', 'mac-address': '48:8F:5A:00:00:03' },
        { name: 'bridge', type: 'bridge', 'mac-address': '48:8F:5A:00:00:02' },
      ],
    },
    {
      path: '/system/resource',
      singleton: true,
      verbs: ['print'],
      fields: [],
      compute: () => ({
        uptime: formatRosDuration(ctx.uptimeMs()),
        version: p.fullVersion,
        'build-time': v7 ? '2025-03-10 09:43:15' : 'Aug/31/2023 10:34:39',
        'factory-software': v7 ? '7.1' : '6.44.6',
        'free-memory': String(v7 ? 891_260_928 : 39_833_600),
        'total-memory': String(v7 ? 1_073_741_824 : 67_108_864),
        cpu: v7 ? 'ARM64' : 'MIPS 24Kc V7.4',
        'cpu-count': v7 ? '4' : '1',
        'cpu-frequency': v7 ? '864' : '600',
        'cpu-load': '3',
        'free-hdd-space': String(v7 ? 103_526_400 : 110_592),
        'total-hdd-space': String(v7 ? 134_217_728 : 134_217_728),
        'architecture-name': p.architecture,
        'board-name': p.boardName,
        platform: 'MikroTik',
      }),
    },
    {
      path: '/system/identity',
      singleton: true,
      verbs: ['print', 'set'],
      fields: [str('name', 'MikroTik')],
    },
    {
      path: '/system/clock',
      singleton: true,
      verbs: ['print', 'set'],
      fields: [bool('time-zone-autodetect', 'false'), str('time-zone-name', 'Asia/Jakarta')],
      compute: () => {
        const c = ctx.clock();
        const tz = ctx.timeZone();
        return { time: c.time, date: c.date, 'gmt-offset': tz.offset, 'dst-active': 'false' };
      },
    },
    {
      path: '/system/script',
      verbs: ['add', 'set', 'remove', 'print', 'unset', 'run'],
      fields: [
        str('name'),
        // Settable on add, as Mikhmon's on-login does (`owner="$month$year"` groups its sales records).
        str('owner', 'admin'),
        str('policy', 'ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon'),
        bool('dont-require-permissions', 'false'),
        ro('last-started'),
        ro('run-count', '0'),
        str('source', ''),
        ro('invalid', 'false'),
        str('comment'),
      ],
      unique: { fields: ['name'], message: 'failure: already have script with such name' },
    },
    {
      path: '/system/scheduler',
      verbs: ['add', 'set', 'remove', 'print', 'enable', 'disable', 'unset'],
      fields: [
        str('name'),
        str('start-date'),
        str('start-time', 'startup'),
        dur('interval', '0s'),
        str('on-event', ''),
        ro('owner', 'admin'),
        str('policy', 'ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon'),
        ro('run-count', '0'),
        ro('next-run'),
        bool('disabled', 'false'),
        str('comment'),
      ],
      unique: { fields: ['name'], message: 'failure: already have scheduler with such name' },
    },
  ];
}

export type { Row };
