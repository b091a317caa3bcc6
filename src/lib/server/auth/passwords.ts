/**
 * Passwords: argon2id hashes (OWASP's first choice), and a strength rule a clerk can follow —
 * at least 12 characters and not one of the passwords every attacker tries first.
 */
import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id parameters: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 12;
/** Longer than any passphrase a person types; the bound keeps a request from hashing megabytes. */
export const MAX_PASSWORD_LENGTH = 256;

/** Passwords that appear at the top of every breach list, and their local favourites. */
const COMMON = new Set([
	'123456789012',
	'1234567890123',
	'123456123456',
	'111111111111',
	'000000000000',
	'password1234',
	'password12345',
	'qwertyuiop12',
	'qwerty123456',
	'123456qwerty',
	'abc123456789',
	'iloveyou1234',
	'admin1234567',
	'administrator',
	'welcome12345',
	'matkhau12345',
	'matkhau123456',
	'123456789abc',
	'vietnam12345',
	'hatinh123456',
	'motcua123456',
	'1qaz2wsx3edc',
	'zaq12wsxcde3'
]);

/** Why a password is refused, or null when it may be used. */
export function passwordProblem(password: string): string | null {
	if (password.length < MIN_PASSWORD_LENGTH) {
		return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
	}
	if (password.length > MAX_PASSWORD_LENGTH) {
		return `the password must have at most ${MAX_PASSWORD_LENGTH} characters`;
	}
	// A line break or another control character cannot be typed into the login form.
	if (/\p{Cc}/u.test(password)) {
		return 'the password must be one line, without control characters';
	}
	const lowered = password.toLowerCase();
	if (
		COMMON.has(lowered) ||
		/^(.)\1+$/.test(password) ||
		/^(0123456789|1234567890)+\d*$/.test(password)
	) {
		return 'this password is among the most common ones; choose another';
	}
	return null;
}

export function hashPassword(password: string): Promise<string> {
	return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}
