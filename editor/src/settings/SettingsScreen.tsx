/** A bot's settings: service hours, desks, AI mode, widget, live switch, secrets. */
export function SettingsScreen({ botId }: { botId: string }) {
  return <main className="page">Settings of {botId}</main>;
}
