// The activity of `floorConversationWithActivity`: one chat completion against the same
// OpenAI-compatible endpoint Baton uses (OPENAI_BASE_URL, OPENAI_API_KEY), through the openai SDK.
import OpenAI from 'openai';

const openai = new OpenAI({ maxRetries: 0 });

export async function askModel(question: string): Promise<string> {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] });
  return completion.choices[0]?.message.content ?? '';
}
