// Names a client sends that the broker persists: consumer groups (subscriptionGroup.json, and the
// %RETRY% / %DLQ% topics made from them in topics.json) and the topic@group keys of
// consumerOffset.json.
//
// Java's broker checks only topic names (TopicValidator, topic-validator.ts); the official client
// checks a group before it ever sends one (Validators.checkGroup: not blank, ^[%|a-zA-Z0-9_-]+$,
// at most 255 characters). This broker refuses only what no official client sends AND what would
// persist something corrupt: a blank name (an empty one made the next start fail), control
// characters, unpaired UTF-16 surrogates (written as U+FFFD, so they load back as another name),
// and names over the client's length limits. Anything else Java accepts and loads back is kept:
// a group made with mqadmin may hold dots, spaces, '@' or any other Unicode.
import { unsafeTextProblem } from '../common/unsafe-text';
import { RETRY_GROUP_TOPIC_PREFIX } from './topic-validator';

/** Validators.CHARACTER_MAX_LENGTH: the longest group the official client accepts. */
export const GROUP_MAX_LENGTH = 255;
/** The longest topic the broker itself creates: %RETRY% + a group of GROUP_MAX_LENGTH. */
export const STORED_TOPIC_MAX_LENGTH = RETRY_GROUP_TOPIC_PREFIX.length + GROUP_MAX_LENGTH;

/**
 * The reason `name` is refused, naming the field and the rule (the remark of a SYSTEM_ERROR
 * answer), or undefined when the broker may persist it.
 */
export function unsafeNameProblem(field: string, name: string, maxLength: number): string | undefined {
  const rule = `a ${field} must not be blank, hold control characters or unpaired surrogates, or be longer than ${maxLength} characters`;
  if (name.trim() === '') return `The specified ${field} is blank; ${rule}.`;
  const problem = unsafeTextProblem(name);
  if (problem !== undefined) return `The specified ${field} ${problem}; ${rule}.`;
  if (name.length > maxLength) return `The specified ${field} is ${name.length} characters long; ${rule}.`;
  return undefined;
}

/** A consumer group the broker would create, persist, or key offsets with. */
export function groupNameProblem(field: string, group: string): string | undefined {
  return unsafeNameProblem(field, group, GROUP_MAX_LENGTH);
}

/**
 * The topic of a committed offset. Java checks nothing; the official client commits offsets for
 * topics the broker has, %RETRY% topics of long groups included, so this is looser than TopicValidator.
 */
export function offsetTopicProblem(field: string, topic: string): string | undefined {
  return unsafeNameProblem(field, topic, STORED_TOPIC_MAX_LENGTH);
}
