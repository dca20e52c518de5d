using Basalt.Model;
using Basalt.Query;

namespace Basalt.Records;

/// <summary>
/// The answer to one sub-request of a committed batch: 200 with the record (expanded as its URL asked), or 204 and no
/// record for a delete. <see cref="Request"/> is what the record is written out for (its email visibility, say).
/// </summary>
public sealed record BatchResult(int Status, Record? Record, RequestInfo Request);
