using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Leakproof.AspNetCore.Tests.Support;

/// <summary>Finds an address of this machine that is not loopback, so a test can call the endpoint as a remote peer would.</summary>
internal static class NetworkAddresses
{
    public static IPAddress NonLoopbackIPv4()
    {
        IPAddress? address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(static n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(static n => n.GetIPProperties().UnicastAddresses)
            .Select(static a => a.Address)
            .FirstOrDefault(static a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Assert.True(
            address is not null,
            "This test needs a non-loopback IPv4 address on an interface that is up (it calls the endpoint through it to be a non-local peer); none was found.");
        return address!;
    }
}
