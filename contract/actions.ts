/** The remote actions of the contract and the states a Graph action result can be in. */
export const ACTIONS = ['resetPasscode', 'remoteLock', 'wipe'] as const;
export type ActionName = (typeof ACTIONS)[number];

export const ACTION_STATES = ['none', 'pending', 'canceled', 'active', 'done', 'failed', 'notSupported'] as const;
export type ActionState = (typeof ACTION_STATES)[number];
