import type { MessageStatus, WaStatus } from '../../../shared/contract/whatsapp';

export const SESSION_COLOR: Record<WaStatus, string> = {
  connected: 'teal',
  connecting: 'yellow',
  disconnected: 'red',
  logged_out: 'gray',
};

export const MESSAGE_COLOR: Record<MessageStatus, string> = {
  pending: 'blue',
  sending: 'yellow',
  sent: 'teal',
  failed: 'red',
  cancelled: 'gray',
  unknown: 'orange',
};
