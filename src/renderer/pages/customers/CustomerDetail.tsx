import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Menu,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import {
  IconArrowLeft,
  IconCash,
  IconDots,
  IconEdit,
  IconEye,
  IconFileInvoice,
  IconLock,
  IconLockOpen,
  IconMapPin,
  IconPhone,
  IconPlus,
  IconReceipt2,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { InvoiceView, SubscriptionView } from '../../../shared/contract/billing';
import { formatPhone } from '../../../shared/phone';
import { rpc } from '../../api/client';
import { useRpcMutation, useRpcQuery } from '../../api/hooks';
import { useAuth } from '../../auth/AuthProvider';
import { fmt } from '../../lib/format';
import { PaymentModal, type PayTarget } from '../payments/PaymentModal';
import { SubscriptionForm } from '../subscriptions/SubscriptionForm';
import { SendWhatsAppButton } from '../whatsapp/SendWhatsAppButton';
import { Balance, InvoiceBadge, PrintMenu, StatusBadge, fmtDay, fmtDayShort, invoiceHref } from './common';
import { CustomerForm } from './CustomerForm';

export function CustomerDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const q = useRpcQuery('customers.get', { id });
  const [editing, setEditing] = useState(false);
  const [addingSub, setAddingSub] = useState(false);
  const [pay, setPay] = useState<PayTarget | null>(null);
  if (q.isLoading || !q.data)
    return (
      <Center h={300}>
        <Loader />
      </Center>
    );
  const { customer: c, subscriptions, invoices, payments, ledger } = q.data;
  const payInvoice = async (inv: InvoiceView) => {
    // Fresh version right before paying: the cashier pays what they see now.
    const fresh = await rpc('invoices.get', { id: inv.id });
    setPay({
      customerId: c.id,
      customerName: c.name,
      owed: c.balance,
      invoice: { id: fresh.id, number: fresh.number, version: fresh.version, balanceDue: fresh.balanceDue },
    });
  };
  return (
    <Stack>
      <Group>
        <Button
          variant="subtle"
          leftSection={<IconArrowLeft size={16} />}
          onClick={() => navigate('/customers')}
          px={0}
        >
          {t('billing.customers.back')}
        </Button>
      </Group>
      <Paper withBorder p="lg">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Group gap="sm">
              <Title order={2} data-testid="customer-name">
                {c.name}
              </Title>
              <StatusBadge status={c.status} />
              {c.isolationExempt && <Badge variant="outline">{t('billing.customers.exempt')}</Badge>}
              {c.promiseUntil && (
                <Badge
                  variant="outline"
                  color="blue"
                >{`${t('billing.customers.promise')} ${fmtDay(c.promiseUntil)}`}</Badge>
              )}
            </Group>
            <Text ff="monospace" c="dimmed" size="sm">
              {c.code}
            </Text>
            <Group gap="lg" mt={4}>
              {c.phone && (
                <Group gap={4}>
                  <IconPhone size={14} />
                  <Text size="sm">{formatPhone(c.phone)}</Text>
                </Group>
              )}
              {(c.area || c.address) && (
                <Group gap={4}>
                  <IconMapPin size={14} />
                  <Text size="sm">{[c.area, c.address].filter(Boolean).join(' · ')}</Text>
                </Group>
              )}
            </Group>
          </Stack>
          <Stack align="flex-end" gap={4}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t('billing.customers.balance')}
            </Text>
            <div data-testid="customer-balance">
              <Balance amount={c.balance} size="xl" />
            </div>
          </Stack>
        </Group>
        <Group mt="md" gap="sm">
          {can('payments.record') && (
            <Button
              leftSection={<IconCash size={16} />}
              onClick={() => setPay({ customerId: c.id, customerName: c.name, owed: c.balance })}
              data-testid="customer-pay"
            >
              {t('billing.invoices.pay')}
            </Button>
          )}
          {can('subscriptions.manage') && (
            <Button
              variant="light"
              leftSection={<IconPlus size={16} />}
              onClick={() => setAddingSub(true)}
              data-testid="customer-add-sub"
            >
              {t('billing.subscriptions.add')}
            </Button>
          )}
          {can('customers.manage') && (
            <Button variant="default" leftSection={<IconEdit size={16} />} onClick={() => setEditing(true)}>
              {t('billing.customers.edit')}
            </Button>
          )}
          <SendWhatsAppButton customerId={c.id} />
        </Group>
      </Paper>

      <Tabs defaultValue="subscriptions" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="subscriptions">{`${t('billing.customers.tabs.subscriptions')} (${subscriptions.length})`}</Tabs.Tab>
          <Tabs.Tab value="invoices">{`${t('billing.customers.tabs.invoices')} (${invoices.length})`}</Tabs.Tab>
          <Tabs.Tab value="payments">{`${t('billing.customers.tabs.payments')} (${payments.length})`}</Tabs.Tab>
          <Tabs.Tab value="ledger">{t('billing.customers.tabs.ledger')}</Tabs.Tab>
          {can('whatsapp.view') && (
            <Tabs.Tab value="messages">{t('billing.customers.tabs.messages')}</Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="subscriptions" pt="md">
          {subscriptions.length === 0 ? (
            <Text c="dimmed">{t('billing.subscriptions.emptyText')}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              {subscriptions.map((s) => (
                <SubscriptionCard key={s.id} s={s} />
              ))}
            </SimpleGrid>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="invoices" pt="md">
          <Paper withBorder>
            <Table striped highlightOnHover data-testid="customer-invoices">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('billing.invoices.number')}</Table.Th>
                  <Table.Th>{t('billing.invoices.period')}</Table.Th>
                  <Table.Th>{t('billing.invoices.due')}</Table.Th>
                  <Table.Th ta="right">{t('billing.invoices.total')}</Table.Th>
                  <Table.Th ta="right">{t('billing.invoices.balanceDue')}</Table.Th>
                  <Table.Th>{t('billing.invoices.status')}</Table.Th>
                  <Table.Th w={120} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {invoices.map((i) => (
                  <Table.Tr key={i.id} data-testid={`invoice-row-${i.number}`}>
                    <Table.Td ff="monospace">{i.number}</Table.Td>
                    <Table.Td>{`${fmtDayShort(i.periodStart)} – ${fmtDayShort(i.periodEnd)}`}</Table.Td>
                    <Table.Td>{fmtDayShort(i.dueDate)}</Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {fmt.rupiah(i.total)}
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {fmt.rupiah(i.balanceDue)}
                    </Table.Td>
                    <Table.Td>
                      <InvoiceBadge status={i.status} overdue={i.overdue} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        {can('payments.record') && i.balanceDue > 0 && (
                          <Button
                            size="compact-xs"
                            variant="light"
                            onClick={() => void payInvoice(i)}
                            data-testid="invoice-pay"
                          >
                            {t('billing.invoices.pay')}
                          </Button>
                        )}
                        <Tooltip label={t('billing.invoices.openPage')}>
                          <ActionIcon
                            variant="subtle"
                            component="a"
                            href={invoiceHref(i.publicToken)}
                            target="_blank"
                          >
                            <IconFileInvoice size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="payments" pt="md">
          <Paper withBorder>
            <Table striped data-testid="customer-payments">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('billing.payments.receipt')}</Table.Th>
                  <Table.Th>{t('billing.payments.paidAt')}</Table.Th>
                  <Table.Th>{t('billing.payments.method')}</Table.Th>
                  <Table.Th ta="right">{t('billing.payments.amount')}</Table.Th>
                  <Table.Th>{t('billing.payments.recordedBy')}</Table.Th>
                  <Table.Th w={90} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {payments.map((p) => (
                  <Table.Tr key={p.id} opacity={p.reversed ? 0.55 : 1}>
                    <Table.Td ff="monospace">
                      {p.receiptNumber}{' '}
                      {p.reversed && (
                        <Badge color="gray" size="xs">
                          {t('billing.payments.reversed')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{fmt.dateTime(p.paidAt)}</Table.Td>
                    <Table.Td>{t(`billing.method.${p.method}`)}</Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {fmt.rupiah(p.amount)}
                    </Table.Td>
                    <Table.Td>{p.recordedBy}</Table.Td>
                    <Table.Td>
                      <PrintMenu kind="receipt" id={p.id} token={p.receiptToken} compact />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="ledger" pt="md">
          <Paper withBorder>
            <Table striped data-testid="customer-ledger">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('billing.payments.paidAt')}</Table.Th>
                  <Table.Th>{t('billing.customers.status')}</Table.Th>
                  <Table.Th>{t('billing.payments.note')}</Table.Th>
                  <Table.Th ta="right">{t('billing.payments.amount')}</Table.Th>
                  <Table.Th ta="right">{t('billing.customers.balance')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...ledger].reverse().map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>{fmt.dateTime(l.at)}</Table.Td>
                    <Table.Td>
                      <Badge
                        variant="light"
                        color={l.kind === 'charge' || l.kind === 'reversal' ? 'red' : 'teal'}
                      >
                        {t(`billing.ledgerKind.${l.kind}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td ff="monospace">{l.memo}</Table.Td>
                    <Table.Td ta="right" className="tabular" c={l.amount > 0 ? 'red.7' : 'teal.7'}>
                      {l.amount > 0 ? fmt.rupiah(l.amount) : `−${fmt.rupiah(-l.amount)}`}
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {fmt.rupiah(l.runningBalance)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Tabs.Panel>
        {can('whatsapp.view') && (
          <Tabs.Panel value="messages" pt="md">
            <CustomerMessages customerId={c.id} />
          </Tabs.Panel>
        )}
      </Tabs>
      <CustomerForm opened={editing} onClose={() => setEditing(false)} customer={c} />
      <SubscriptionForm
        opened={addingSub}
        onClose={() => setAddingSub(false)}
        customer={{ id: c.id, name: c.name, routerId: c.routerId }}
      />
      <PaymentModal target={pay} onClose={() => setPay(null)} />
    </Stack>
  );
}

function SubscriptionCard({ s }: { s: SubscriptionView }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const isolate = useRpcMutation('subscriptions.isolate', {
    invalidate: ['customers.get', 'subscriptions.list', 'customers.list'],
  });
  const restore = useRpcMutation('subscriptions.restore', {
    invalidate: ['customers.get', 'subscriptions.list', 'customers.list'],
  });
  const password = useRpcMutation('subscriptions.password');
  return (
    <Card withBorder data-testid={`subscription-${s.username}`}>
      <Group justify="space-between">
        <Group gap="xs">
          <IconReceipt2 size={18} />
          <Text fw={600} ff="monospace">
            {s.username}
          </Text>
          <StatusBadge status={s.status} />
        </Group>
        {(can('isolation.manage') || can('subscriptions.manage')) && (
          <Menu position="bottom-end">
            <Menu.Target>
              <ActionIcon variant="subtle">
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              {can('subscriptions.manage') && (
                <Menu.Item
                  leftSection={<IconEye size={14} />}
                  onClick={() =>
                    password.mutate(
                      { id: s.id },
                      {
                        onSuccess: (r) =>
                          modals.open({
                            title: s.username,
                            children: (
                              <Text ff="monospace" size="xl">
                                {r.password}
                              </Text>
                            ),
                          }),
                      },
                    )
                  }
                >
                  {t('billing.subscriptions.showPassword')}
                </Menu.Item>
              )}
              {can('isolation.manage') && s.status === 'active' && (
                <Menu.Item
                  leftSection={<IconLock size={14} />}
                  color="orange"
                  onClick={() =>
                    isolate.mutate(
                      { id: s.id },
                      { onSuccess: () => notifications.show({ message: t('billing.status.isolated') }) },
                    )
                  }
                >
                  {t('billing.subscriptions.isolate')}
                </Menu.Item>
              )}
              {can('isolation.manage') && s.status === 'isolated' && (
                <Menu.Item
                  leftSection={<IconLockOpen size={14} />}
                  color="teal"
                  onClick={() => restore.mutate({ id: s.id })}
                >
                  {t('billing.subscriptions.restore')}
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
      <SimpleGrid cols={2} mt="sm" spacing={4}>
        <Text size="sm" c="dimmed">
          {t('billing.customers.package')}
        </Text>
        <Text size="sm">{`${s.packageName} · ${fmt.rupiah(s.price)}`}</Text>
        <Text size="sm" c="dimmed">
          {t('billing.subscriptions.billingDay')}
        </Text>
        <Text size="sm">{s.billingDay}</Text>
        {s.discount > 0 && (
          <>
            <Text size="sm" c="dimmed">
              {t('billing.subscriptions.discount')}
            </Text>
            <Text size="sm">{fmt.rupiah(s.discount)}</Text>
          </>
        )}
        <Text size="sm" c="dimmed">
          {t('billing.subscriptions.startDate')}
        </Text>
        <Text size="sm">{fmtDay(s.startDate)}</Text>
      </SimpleGrid>
      {s.status === 'isolated' && s.isolatedAt && (
        <Text size="xs" c="orange.8" mt="sm">
          {t('billing.subscriptions.isolatedSince', { at: fmt.dateTime(s.isolatedAt) })}
          {s.originalProfile
            ? ` · ${t('billing.subscriptions.originalProfile', { profile: s.originalProfile })}`
            : ''}
        </Text>
      )}
    </Card>
  );
}

/** WhatsApp messages to this customer (reminders, receipts, isolation notices), from the WhatsApp feature. */
function CustomerMessages({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const q = useRpcQuery('whatsapp.messages.list', { customerId, limit: 50 });
  const rows = q.data?.rows ?? [];
  if (q.data && rows.length === 0) return <Text c="dimmed">{t('billing.customers.noMessages')}</Text>;
  return (
    <Stack gap="sm" data-testid="customer-messages">
      {rows.map((m) => (
        <Paper withBorder p="sm" key={m.id}>
          <Group justify="space-between" mb={4}>
            <Group gap="xs">
              <Badge variant="light" color="teal">
                {t(`whatsapp.kind.${m.kind}`)}
              </Badge>
              <Badge
                variant="outline"
                color={m.status === 'sent' ? 'teal' : m.status === 'failed' ? 'red' : 'gray'}
              >
                {t(`whatsapp.msgStatus.${m.status}`)}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed">
              {fmt.dateTime(m.sentAt ?? m.createdAt)}
            </Text>
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-line' }} lineClamp={4}>
            {m.body}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}
