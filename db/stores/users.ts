import type { Knex } from 'knex';
import { readerOf } from '../connection';

export type Role = 'employer' | 'officer' | 'admin';

export interface User {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  employer_id: number | null;
  county: string | null;
  display_name: string;
}

export const findUserByUsername = (db: Knex, username: string): Promise<User | undefined> =>
  readerOf(db)('users').where({ username }).first();
export const findUserById = (db: Knex, id: number): Promise<User | undefined> =>
  readerOf(db)('users').where({ id }).first();

export async function createUser(db: Knex, u: Omit<User, 'id'>): Promise<number> {
  const [row] = await db('users')
    .insert({ ...u, created_at: new Date().toISOString() })
    .returning('id');
  return typeof row === 'object' ? row.id : row;
}

export async function countUsers(db: Knex): Promise<number> {
  return Number((await db('users').count('id as n').first())?.n ?? 0);
}
