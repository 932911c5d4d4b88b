/** A semantic problem: the field path (as zod writes it) and a sentence for the author. */
export interface CheckIssue {
  path: (string | number)[];
  message: string;
}
