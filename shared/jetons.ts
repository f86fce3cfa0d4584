/**
 * Personal API tokens: how long they live (issue 19). A token always expires, so that a leaked one
 * does not work for ever; the user chooses the duration at creation, within the maximum.
 * (No zod here: the web UI imports these numbers.)
 */

/** Validity of a token when its creator does not choose one, in days. */
export const JETON_DUREE_DEFAUT_JOURS = 90;
/** Longest validity a token can be given, in days. */
export const JETON_DUREE_MAX_JOURS = 365;
