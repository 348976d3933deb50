import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;

import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * One bcrypt verification (and one RS256 signature, the other CPU cost of a login) per library
 * on the classpath, in wall and CPU time, plus hash compatibility both ways with the service's
 * own library (Elytron, via BcryptUtil): each library must verify an Elytron $2a$ hash and
 * Elytron must verify each library's hash. Libraries missing from the classpath are skipped.
 * Run it under the JVM flags to compare (the image's: -XX:TieredStopAtLevel=1), e.g.
 *   java -XX:TieredStopAtLevel=1 -cp 'target/quarkus-app/lib/main/*:bench/.work/bcrypt-libs/*' bench/lib/BcryptCompare.java 10
 */
public class BcryptCompare {
    record Impl(String name, BiPredicate<String, String> verify, java.util.function.BiFunction<String, Integer, String> hash) {
    }

    static boolean safely(java.util.function.BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        int cost = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        String pw = "bench-password-1";
        String elytronHash = BcryptUtil.bcryptHash(pw, cost);
        List<Impl> impls = new ArrayList<>();
        impls.add(new Impl("elytron (quarkus-elytron-security-common)", BcryptUtil::matches, (p, c) -> BcryptUtil.bcryptHash(p, c)));
        try {
            Class.forName("at.favre.lib.crypto.bcrypt.BCrypt");
            impls.add(new Impl("at.favre.lib:bcrypt",
                    (p, h) -> at.favre.lib.crypto.bcrypt.BCrypt.verifyer().verify(p.toCharArray(), h).verified,
                    (p, c) -> at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(c, p.toCharArray())));
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            System.out.println("(at.favre.lib:bcrypt not on the classpath)");
        }
        try {
            Class.forName("org.springframework.security.crypto.bcrypt.BCrypt");
            impls.add(new Impl("spring-security-crypto BCrypt",
                    org.springframework.security.crypto.bcrypt.BCrypt::checkpw,
                    (p, c) -> org.springframework.security.crypto.bcrypt.BCrypt.hashpw(p,
                            org.springframework.security.crypto.bcrypt.BCrypt.gensalt(c))));
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            System.out.println("(spring-security-crypto not on the classpath)");
        }
        try {
            Class.forName("org.mindrot.jbcrypt.BCrypt");
            impls.add(new Impl("org.mindrot:jbcrypt", org.mindrot.jbcrypt.BCrypt::checkpw,
                    (p, c) -> org.mindrot.jbcrypt.BCrypt.hashpw(p, org.mindrot.jbcrypt.BCrypt.gensalt(c))));
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            System.out.println("(jbcrypt not on the classpath)");
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf("JVM %s, flags %s, cost %d, %d timed verifications each (after 5 untimed)%n",
                System.getProperty("java.vm.version"), ManagementFactory.getRuntimeMXBean().getInputArguments(), cost, n);
        for (Impl impl : impls) {
            String own = impl.hash().apply(pw, cost);
            boolean readsElytron = impl.verify().test(pw, elytronHash) && !impl.verify().test("wrong-password", elytronHash);
            boolean elytronReads = safely(() -> BcryptUtil.matches(pw, own) && !BcryptUtil.matches("wrong-password", own));
            boolean compatible = readsElytron && elytronReads;
            String b = elytronHash.replaceFirst("^\\$2a\\$", "\\$2b\\$");
            boolean reads2b = safely(() -> impl.verify().test(pw, b));
            for (int i = 0; i < 5; i++) {
                impl.verify().test(pw, elytronHash);
            }
            long[] wall = new long[n];
            long[] cpu = new long[n];
            for (int i = 0; i < n; i++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                impl.verify().test(pw, elytronHash);
                wall[i] = System.nanoTime() - w0;
                cpu[i] = mx.getCurrentThreadCpuTime() - c0;
            }
            Arrays.sort(wall);
            Arrays.sort(cpu);
            System.out.printf("%-45s verify: median %.1f ms wall, %.1f ms CPU (min %.1f); hashes as %s; "
                    + "reads Elytron's: %s, Elytron reads its: %s; reads $2b$: %s%n", impl.name(), wall[n / 2] / 1e6, cpu[n / 2] / 1e6,
                    cpu[0] / 1e6, own.substring(0, 4), readsElytron ? "yes" : "NO", elytronReads ? "yes" : "NO", reads2b ? "yes" : "no");
        }
        // The login's token: one RS256 signature with a 2048-bit key.
        var kpg = KeyPairGenerator.getInstance("RSA");
        kpg.initialize(2048);
        var key = kpg.generateKeyPair().getPrivate();
        byte[] payload = "x".repeat(600).getBytes(StandardCharsets.US_ASCII);
        long[] sig = new long[200];
        for (int i = 0; i < 250; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(payload);
            s.sign();
            if (i >= 50) {
                sig[i - 50] = mx.getCurrentThreadCpuTime() - c0;
            }
        }
        Arrays.sort(sig);
        System.out.printf("%-45s median %.2f ms CPU%n", "RS256 signature (2048-bit, JDK)", sig[100] / 1e6);
    }
}
