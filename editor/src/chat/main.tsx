import './chat.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ChatPage } from './ChatPage.js';

// The chat page in the widget's iframe: /chat/<botId>?email=…&color=…
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ChatPage />
  </StrictMode>,
);
