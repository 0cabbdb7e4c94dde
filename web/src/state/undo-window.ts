/** How long an action that can be taken back waits for Undo before it is sent. */
export const UNDO_MS = 5_000;
