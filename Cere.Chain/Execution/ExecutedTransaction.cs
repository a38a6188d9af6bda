using Cere.Core;
using Cere.Core.Receipts;

namespace Cere.Chain.Execution;

/// <summary>What executing a transaction produced: its receipt, the gas it used, return data and a created contract.</summary>
public sealed record ExecutedTransaction(Receipt Receipt, ulong GasUsed, byte[] Output, Address? ContractAddress);
