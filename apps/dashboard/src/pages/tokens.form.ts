import { TokenCreate, type Event, type Token } from '@gureum/contract';
import { checkForm, type CheckedForm } from '../ui/check-form.js';

/** How long a new token lives: a preset number of days, none, or a chosen day. */
export type ExpiryChoice = 'never' | '7' | '30' | '90' | '365' | 'custom';

export const EXPIRY_CHOICES: readonly { value: ExpiryChoice; label: string }[] = [
  { value: '30', label: '30 days' },
  { value: '7', label: '7 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: 'One year' },
  { value: 'never', label: 'Never' },
  { value: 'custom', label: 'On a date…' },
];

export interface TokenForm {
  name: string;
  expiry: ExpiryChoice;
  /** `YYYY-MM-DD` from a date input; the token expires at the end of that day, local time. */
  expiryDate: string;
  readOnly: boolean;
  /** Empty: every project the user can reach. */
  projects: string[];
}

export const EMPTY_TOKEN_FORM: TokenForm = { name: '', expiry: '30', expiryDate: '', readOnly: false, projects: [] };

const DAY_MS = 86_400_000;

/** The expiry time a form asks for, or an error message for the expiry field. */
export function expiryOf(form: Pick<TokenForm, 'expiry' | 'expiryDate'>, now: Date): { expiresAt?: string; error?: string } {
  switch (form.expiry) {
    case 'never':
      return {};
    case 'custom': {
      if (!/^\d{4}-\d\d-\d\d$/.test(form.expiryDate)) return { error: 'choose the day the token expires' };
      const end = new Date(`${form.expiryDate}T23:59:59`);
      if (Number.isNaN(end.getTime())) return { error: 'choose the day the token expires' };
      // The server's own words for a time in the past.
      if (!(end.getTime() > now.getTime())) return { error: 'must be a time in the future' };
      return { expiresAt: end.toISOString() };
    }
    case '7':
    case '30':
    case '90':
    case '365':
      return { expiresAt: new Date(now.getTime() + Number(form.expiry) * DAY_MS).toISOString() };
  }
}

/** What createToken is sent. */
export type TokenBody = ReturnType<typeof TokenCreate.parse>;

/** The createToken body of a form, checked with the contract's schema. */
export function tokenBody(form: TokenForm, now: Date): CheckedForm<TokenBody> {
  const expiry = expiryOf(form, now);
  return checkForm(
    TokenCreate,
    {
      name: form.name.trim(),
      readOnly: form.readOnly,
      ...(expiry.expiresAt !== undefined && { expiresAt: expiry.expiresAt }),
      ...(form.projects.length > 0 && { projects: form.projects }),
    },
    expiry.error !== undefined ? { expiresAt: expiry.error } : {},
  );
}

/** A token's state in words: what a user checks before revoking or relying on it. */
export function tokenStatus(token: Pick<Token, 'expiresAt'>, now: Date): { expired: boolean; text: string } {
  if (token.expiresAt === null) return { expired: false, text: 'never expires' };
  const at = Date.parse(token.expiresAt);
  if (at <= now.getTime()) return { expired: true, text: `expired ${token.expiresAt.slice(0, 10)}` };
  const days = Math.ceil((at - now.getTime()) / DAY_MS);
  return { expired: false, text: days <= 1 ? 'expires within a day' : `expires in ${days} days` };
}

/** Events that change the signed-in user's token list: its own tokens' (an admin's stream carries everyone's). */
export function touchesTokens(user: string): (e: Event) => boolean {
  return (e) => (e.type === 'token.created' || e.type === 'token.revoked') && e.data.user === user;
}
