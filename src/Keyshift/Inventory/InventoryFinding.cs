namespace Keyshift.Inventory;

/// <summary>A risk the inventory found, mapped to an OWASP NHI Top 10 (2025) id; names addresses and file locations, never values.</summary>
internal sealed record InventoryFinding(string Risk, string Kind, string Subject, string Message)
{
    public string Title => NhiRisk.Title(Risk);
}
