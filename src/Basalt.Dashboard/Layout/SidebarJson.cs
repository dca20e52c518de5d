using System.Text.Json.Serialization;

namespace Basalt.Dashboard.Layout;

/// <summary>The sidebar's stored JSON (the pinned collection ids), source-generated so trimming keeps it.</summary>
[JsonSerializable(typeof(List<string>))]
internal sealed partial class SidebarJson : JsonSerializerContext;
