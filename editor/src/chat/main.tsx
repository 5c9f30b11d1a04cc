import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ChatPage } from './ChatPage.js';

// The chat page in the widget's iframe: /chat/<botId>?email=…
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ChatPage />
  </StrictMode>,
);
