namespace Basalt.Storage.Tables;

/// <summary>One row of <c>_otps</c>: the record it signs in, the bcrypt hash of its code, where it was mailed, and when.</summary>
public sealed record StoredOtp(string Id, string RecordId, string Hash, string SentTo, string Created);
