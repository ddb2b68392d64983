import { createRoot } from 'react-dom/client';
import { hasSecureContext, SecureContextRequired } from './SecureContextRequired.tsx';
import './styles.css';

const element = document.getElementById('root');
if (!element) throw new Error('index.html has no #root element');
const root = createRoot(element);
// checked before the app's modules load: over plain HTTP off this computer the browser gives no
// crypto, and the first id the app makes would fail with a blank page
if (hasSecureContext(window)) void import('./startApp.tsx').then(({ startApp }) => startApp(root));
else root.render(<SecureContextRequired href={window.location.href} />);
