import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { onEvent } from '../../api/client';
import { queryKey } from '../../api/hooks';

/** Keeps the session, queue and inbox queries fresh from the core's live events (QR codes, status, sends, replies). */
export function useWhatsappLive(): void {
  const qc = useQueryClient();
  useEffect(() => {
    const offSession = onEvent('whatsapp.session', (s) =>
      qc.setQueryData(queryKey('whatsapp.status', {}), s),
    );
    const offQueue = onEvent('whatsapp.queue', (s) => {
      qc.setQueryData(queryKey('whatsapp.messages.stats', {}), s);
      void qc.invalidateQueries({ queryKey: ['whatsapp.messages.list'] });
    });
    const offInbound = onEvent('whatsapp.inbound', (e) => {
      qc.setQueryData(queryKey('whatsapp.inbox.unread', {}), { unread: e.unread });
      if (e.message) void qc.invalidateQueries({ queryKey: ['whatsapp.inbox.list'] });
    });
    return () => {
      offSession();
      offQueue();
      offInbound();
    };
  }, [qc]);
}
