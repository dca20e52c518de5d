using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.OpenApi;

/// <summary>
/// The OpenAPI documents of the running server, as UTF-8 JSON, built on first request and again after any collection
/// changes: the collection cache swaps its whole list after each schema change, so a different list means a new document.
/// </summary>
public sealed class OpenApiDocuments(ICollectionLookup collections)
{
    private volatile Built? _built;

    /// <summary>The document for superusers (everything) or for everyone else (what they may call).</summary>
    public byte[] Get(bool superuser)
    {
        var source = collections.All;
        var built = _built;
        if (built is null || !ReferenceEquals(built.Source, source))
        {
            built = new Built(source);
            _built = built;
        }

        return superuser ? built.Full.Value : built.Public.Value;
    }

    private sealed class Built(IReadOnlyList<Collection> source)
    {
        public IReadOnlyList<Collection> Source { get; } = source;

        public Lazy<byte[]> Full { get; } = new(() => Write(OpenApiBuilder.Build(source, OpenApiBuilder.Audience.Superusers)));

        public Lazy<byte[]> Public { get; } = new(() => Write(OpenApiBuilder.Build(source, OpenApiBuilder.Audience.Public)));

        private static byte[] Write(JsonObject document)
        {
            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                document.WriteTo(writer);
            }

            return buffer.WrittenSpan.ToArray();
        }
    }
}
