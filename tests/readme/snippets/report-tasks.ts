// report-tasks.ts: each export can run as a task
export async function fetchUser(userId: number): Promise<{ id: number; name: string }> {
  return { id: userId, name: `User ${userId}` };
}
