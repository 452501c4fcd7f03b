using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Payvand.Platform.Data;

// Work to run once the current transaction of a context has committed, for code that writes inside a transaction
// someone else commits (an import writer inside the job's batch transaction) and must publish domain events only
// after the rows are really there. The work belongs to that one transaction: it is dropped when the transaction
// rolls back, fails or is disposed uncommitted.
public static class CommitHooks
{
    private static readonly ConditionalWeakTable<DbTransaction, List<Func<CancellationToken, Task>>> Pending = new();

    public static void OnCommitted(this DbContext db, Func<CancellationToken, Task> action)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("OnCommitted needs a transaction; without one, act after SaveChanges.");
        lock (Pending) Pending.GetOrCreateValue(transaction).Add(action);
    }

    private static List<Func<CancellationToken, Task>> Take(DbTransaction transaction)
    {
        lock (Pending)
        {
            if (!Pending.TryGetValue(transaction, out var actions)) return [];
            Pending.Remove(transaction);
            return actions;
        }
    }

    internal sealed class Interceptor : DbTransactionInterceptor
    {
        public static readonly Interceptor Instance = new();

        public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            foreach (var action in Take(transaction)) await action(cancellationToken);
        }

        // A synchronous commit runs the work on the thread pool and waits for it, as the caller asked to block.
        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
        {
            var actions = Take(transaction);
            if (actions.Count > 0) Task.Run(async () => { foreach (var action in actions) await action(CancellationToken.None); }).GetAwaiter().GetResult();
        }

        public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Take(transaction);
            return Task.CompletedTask;
        }

        public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Take(transaction);

        public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Take(transaction);
            return Task.CompletedTask;
        }

        public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Take(transaction);
    }
}
