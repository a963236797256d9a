// Standard normal deviates that are the same bits on every machine: the inverse normal CDF of Wichura (1988),
// "Algorithm AS 241: The percentage points of the normal distribution" (PPND16, about 1e-16 relative accuracy),
// evaluated with IEEE-754 double additions, multiplications, divisions and square roots only (each correctly
// rounded, so identical everywhere; .NET never fuses them), and with a logarithm written here in the same
// operations instead of the C library's (whose last bit differs between platforms):
//     z = Phi^-1(u),   log x = e ln 2 + 2 atanh(s),  s = (m - 1) / (m + 1),  x = m 2^e,  m in [sqrt(1/2), sqrt(2)).
// MIRACLE's candidates are these deviates cast to float32; a file decodes to the same network on any machine.
namespace Compression.Miracle;

public static class PortableNormal
{
    const double Ln2Hi = 6.93147180369123816490e-01, Ln2Lo = 1.90821492927058770002e-10;

    /// <summary>Natural logarithm of a positive finite double, from basic IEEE operations only (error below 2 ulp).</summary>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsInfinity(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "a positive finite number");
        long bits = BitConverter.DoubleToInt64Bits(x);
        int e = (int)((bits >> 52) & 0x7FF);
        if (e == 0)
        {   // subnormal: scale up by 2^54 first
            bits = BitConverter.DoubleToInt64Bits(x * 18014398509481984.0);
            e = (int)((bits >> 52) & 0x7FF) - 54;
        }
        e -= 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L); // [1, 2)
        if (m > 1.4142135623730951) { m *= 0.5; e++; }
        double s = (m - 1) / (m + 1), s2 = s * s;
        // 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...); |s| <= 0.1716, s^2 <= 0.0295: 12 terms reach 1e-19
        double sum = 1.0 / 25;
        for (int k = 11; k >= 0; k--) sum = 1.0 / (2 * k + 1) + s2 * sum;
        double logm = 2 * s * sum;
        return e * Ln2Hi + (logm + e * Ln2Lo);
    }

    /// <summary>Phi^-1(<paramref name="p"/>) for p in (0, 1), AS 241 (PPND16).</summary>
    public static double InverseCdf(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "a probability in (0, 1)");
        double q = p - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            double r = 0.180625 - q * q;
            return q * (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
                        + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r
                        + 3.387132872796366608)
                   / (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
                        + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1.0);
        }
        double rr = q < 0 ? p : 1 - p;
        rr = Math.Sqrt(-Log(rr));
        double value;
        if (rr <= 5)
        {
            rr -= 1.6;
            value = (((((((7.7454501427834140764e-4 * rr + 0.0227238449892691845833) * rr + 0.24178072517745061177) * rr
                     + 1.27045825245236838258) * rr + 3.64784832476320460504) * rr + 5.7694972214606914055) * rr + 4.6303378461565452959) * rr
                     + 1.42343711074968357734)
                  / (((((((1.05075007164441684324e-9 * rr + 5.475938084995344946e-4) * rr + 0.0151986665636164571966) * rr
                     + 0.14810397642748007459) * rr + 0.68976733498510000455) * rr + 1.6763848301838038494) * rr + 2.05319162663775882187) * rr + 1.0);
        }
        else
        {
            rr -= 5;
            value = (((((((2.01033439929228813265e-7 * rr + 2.71155556874348757815e-5) * rr + 0.0012426609473880784386) * rr
                     + 0.026532189526576123093) * rr + 0.29656057182850489123) * rr + 1.7848265399172913358) * rr + 5.4637849111641143699) * rr
                     + 6.6579046435011037772)
                  / (((((((2.04426310338993978564e-15 * rr + 1.4215117583164458887e-7) * rr + 1.8463183175100546818e-5) * rr
                     + 7.868691311456132591e-4) * rr + 0.0148753612908506148525) * rr + 0.13692988092273580531) * rr + 0.59983220655588793769) * rr + 1.0);
        }
        return q < 0 ? -value : value;
    }
}
