import type { MobileOperator } from '@scholarpay/contracts';
import { formatXof } from '@scholarpay/money';

const frenchMonths = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

const walletNames: Record<MobileOperator, string> = { orange: 'Orange Money', moov: 'Moov Money' };

/** "mars 2015" for "2015-03". */
export function frenchMonth(month: string): string {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new Error(`not a YYYY-MM month: ${month}`);
  return `${frenchMonths[Number(match[2]) - 1]} ${match[1]}`;
}

/** The short reference a student can quote: the first eight characters of the payout id. */
export function shortReference(lineId: string): string {
  return lineId.replace(/-/g, '').slice(0, 8);
}

/** The one SMS a paid student receives, in French: amount, month, wallet and reference. */
export function payoutSmsMessage(input: { month: string; amount: number; operator: MobileOperator | null; lineId: string }): string {
  const wallet = input.operator ? `votre compte ${walletNames[input.operator]}` : 'votre compte mobile money';
  return `ScholarPay: votre bourse de ${frenchMonth(input.month)} (${formatXof(input.amount)}) a été versée sur ${wallet}. Réf. ${shortReference(input.lineId)}.`;
}
