import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useAuth } from './auth/AuthProvider';
import { AppLayout } from './layout/AppLayout';
import { AREAS } from './layout/areas';
import { CustomersPage } from './pages/customers/CustomersPage';
import { DashboardPage } from './pages/DashboardPage';
import { EmptyAreaPage } from './pages/EmptyAreaPage';
import { LoginPage } from './pages/LoginPage';
import { RoutersPage } from './pages/routers/RoutersPage';
import { InvoicesPage } from './pages/invoices/InvoicesPage';
import { PaymentsPage } from './pages/payments/PaymentsPage';
import { SettingsPage } from './pages/SettingsPage';
import { SetupPage } from './pages/SetupPage';
import { SubscriptionsPage } from './pages/subscriptions/SubscriptionsPage';
import { WhatsAppPage } from './pages/whatsapp/WhatsAppPage';
import { VouchersPage } from './pages/vouchers/VouchersPage';

export function App() {
  const { status, loading } = useAuth();
  if (loading || !status) {
    return (
      <Center h="100%">
        <Loader />
      </Center>
    );
  }
  if (status.setupRequired) return <SetupPage />;
  if (!status.user) return <LoginPage />;
  return (
    <AppLayout>
      <Routes>
        <Route path="/" element={<DashboardPage />} />
        <Route path="/settings/*" element={<SettingsPage />} />
        <Route path="/customers/*" element={<CustomersPage />} />
        <Route path="/subscriptions/*" element={<SubscriptionsPage />} />
        <Route path="/invoices/*" element={<InvoicesPage />} />
        <Route path="/payments/*" element={<PaymentsPage />} />
        <Route path="/routers/*" element={<RoutersPage />} />
        <Route path="/whatsapp/*" element={<WhatsAppPage />} />
        <Route path="/vouchers/*" element={<VouchersPage />} />
        {AREAS.filter((a) => a.placeholder).map((a) => (
          <Route key={a.key} path={a.path} element={<EmptyAreaPage area={a.key} />} />
        ))}
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </AppLayout>
  );
}
