import type { Conversation } from '../api/types.js';
import { variableRows } from './queue.js';

/** Who the user is and what the flow knows (its variables). */
export function ConversationDetails({ conversation, botName }: { conversation: Conversation | undefined; botName: string | undefined }) {
  const rows = variableRows(conversation?.vars);
  return (
    <aside className="convo-details" aria-label="Details">
      <h3>User</h3>
      <dl className="details-list">
        <dt>Email</dt>
        <dd data-testid="user-email">{conversation?.user.email ?? <span className="muted">not known</span>}</dd>
        <dt>Name</dt>
        <dd>{conversation?.user.name ?? <span className="muted">not known</span>}</dd>
        {conversation?.user.externalId ? (
          <>
            <dt>External id</dt>
            <dd>{conversation.user.externalId}</dd>
          </>
        ) : null}
      </dl>
      <h3>Conversation</h3>
      <dl className="details-list">
        {botName ? (
          <>
            <dt>Bot</dt>
            <dd>{botName}</dd>
          </>
        ) : null}
        <dt>Channel</dt>
        <dd>{conversation?.channel ?? ''}</dd>
        <dt>Started</dt>
        <dd>{conversation ? new Date(conversation.createdAt).toLocaleString() : ''}</dd>
        {conversation?.nodeId ? (
          <>
            <dt>At step</dt>
            <dd>
              <code>{conversation.nodeId}</code>
            </dd>
          </>
        ) : null}
      </dl>
      <h3>Variables</h3>
      {rows.length === 0 ? (
        <p className="muted small">None yet.</p>
      ) : (
        <table className="vars" data-testid="variables">
          <tbody>
            {rows.map(([key, value]) => (
              <tr key={key}>
                <th scope="row">
                  <code>{key}</code>
                </th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}
