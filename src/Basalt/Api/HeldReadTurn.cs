using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>
/// The read turn a request holds (<see cref="ClientReadSlotFilter"/>), kept among its features so the endpoint frees it
/// once its answer is made: sending that answer takes as long as the client takes to read it, and a client that
/// never reads its answer must not keep a turn that all other clients share.
/// </summary>
internal sealed class HeldReadTurn(ClientReadSlots.ReadTurn turn)
{
    private ClientReadSlots.ReadTurn _turn = turn;

    /// <summary>Frees the turn of <paramref name="context"/>'s read, if it holds one; later calls do nothing.</summary>
    public static void Release(HttpContext context) => context.Features.Get<HeldReadTurn>()?.Release();

    /// <summary>Frees the turn; later calls do nothing (the filter calls it again once the endpoint returns).</summary>
    public void Release()
    {
        var turn = _turn;
        _turn = default;
        turn.Dispose();
    }
}
