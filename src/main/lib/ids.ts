import { v7 as uuidv7 } from 'uuid';

/** Ids are UUIDv7 text: time-ordered, so primary-key inserts stay append-mostly in SQLite's b-tree. */
export type IdGen = () => string;
export const uuid7: IdGen = () => uuidv7();
