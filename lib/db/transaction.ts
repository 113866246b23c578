import type { DbClient } from "./client";
import { translateDatabaseError } from "./errors";

/** The client handed to work inside a transaction. */
export type DbTransaction = Parameters<Parameters<DbClient["$transaction"]>[0]>[0];

/** A client or a transaction: repository functions accept either, so callers can compose them. */
export type DbExecutor = DbClient | DbTransaction;

/**
 * Runs `work` in one transaction and translates database errors once, so
 * repositories and their callers only ever see DomainErrors.
 */
export async function inTransaction<T>(client: DbClient, work: (tx: DbTransaction) => Promise<T>): Promise<T> {
  try {
    return await client.$transaction(work, { maxWait: 10_000, timeout: 30_000 });
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

/** Runs one query and translates its errors. */
export async function translated<T>(query: Promise<T>): Promise<T> {
  try {
    return await query;
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

/**
 * Runs `work` atomically: inside the caller's transaction when given one,
 * otherwise in a new one. Lets a repository function that needs atomicity
 * also be composed into a larger transaction.
 */
export function withinTransaction<T>(executor: DbExecutor, work: (tx: DbTransaction) => Promise<T>): Promise<T> {
  // A transaction client lacks $connect (it still has $transaction, which would nest).
  return "$connect" in executor ? inTransaction(executor, work) : work(executor);
}
