/**
 * React picks its development or production build from NODE_ENV when it is first loaded;
 * unset means development, which costs the terminal UI about four times as much per frame
 * (16 ms against 4 ms for the run UI). The CLI is not a development build of anything, so
 * an unset NODE_ENV becomes "production" before the UI loads React; a value the user set is kept.
 */
export function preferProductionReact(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV === undefined || env.NODE_ENV === '') env.NODE_ENV = 'production';
}
