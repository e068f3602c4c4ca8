/**
 * A receipt's verification code is bound to its submission: the keyed hash is over the id, so a code's hash
 * proves only the id it was issued for, and a code made with another key proves nothing.
 */
import { receiptCode, verifyReceiptCode } from '../../server/services/receipts';

const SECRET = 'a-test-key-of-enough-length-for-hmac';

test('a code proves the submission it was issued for', () => {
  for (const id of [1, 12, 999_999]) expect(verifyReceiptCode(SECRET, receiptCode(SECRET, id))).toBe(id);
});

test('a code whose id is changed and whose hash is kept is refused, for every neighbouring id', () => {
  const issued = receiptCode(SECRET, 12);
  const hash = issued.slice(issued.indexOf('-') + 1);
  const others = [1, 11, 13, 120, 1012];
  for (const id of others) expect(verifyReceiptCode(SECRET, `${id}-${hash}`)).toBeNull();
  // the hashes of different ids differ, so no code stands for another submission
  expect(new Set([12, ...others].map((id) => receiptCode(SECRET, id).split('-')[1])).size).toBe(others.length + 1);
});

test('a code made with another key, or not in the form of a code, is refused', () => {
  expect(verifyReceiptCode(SECRET, receiptCode('another-key-entirely-of-some-length', 12))).toBeNull();
  for (const code of ['', '12', '12-', 'x-abcdefghijkl', `12-${'A'.repeat(11)}`])
    expect(verifyReceiptCode(SECRET, code)).toBeNull();
});
