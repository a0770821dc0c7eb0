/** The live view of a running system: `observe()`. */
export { observe } from './observe';
export type { ObserveOptions, LiveView, ObservedState } from './observe';
export type { SystemSnapshot, SupervisorView, ChildView, ProcessView, PoolView } from './snapshot';
export type { FeedEvent } from './event-feed';
