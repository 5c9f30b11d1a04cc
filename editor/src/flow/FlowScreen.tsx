/** The flow builder: canvas, palette, node forms, test chat. */
export function FlowScreen({ botId }: { botId: string }) {
  return <main className="page">Flow of {botId}</main>;
}
