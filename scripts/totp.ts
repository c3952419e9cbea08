import { DEMO_TOTP_SECRET } from '../api/auth/demo-accounts.ts';
import { totpCode } from '../api/auth/totp.ts';

// `npm run totp`: the current second-factor code of the demo administrator and secretariat accounts.
const secret = process.argv[2] ?? DEMO_TOTP_SECRET;
const now = new Date();
const left = 30 - (Math.floor(now.getTime() / 1000) % 30);
console.log(`${totpCode(secret, now)}   (valid ${left} s more / còn hiệu lực ${left} giây)`);
