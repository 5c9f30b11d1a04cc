/** The end user's chat with a bot (in the widget's iframe). */
export function ChatPage() {
  return <main>Chat</main>;
}
