namespace Basalt.Files.Thumbs;

/// <summary>A made thumbnail: its encoded bytes and the content type of the format it is encoded in.</summary>
public sealed record ThumbImage(byte[] Bytes, string ContentType);
