using Cere.P2P.PubSub;
using Cere.P2P.PubSub.Wire;
using Google.Protobuf;

namespace Cere.P2P.Tests;

/// <summary>Peer scoring, graylisting, signature policy and bad input, against attackers built from real routers.</summary>
public sealed class GossipsubScoringTests
{
    private const string Topic = "txs";

    private static (GossipTestNetwork Net, GossipTestNode Victim, GossipTestNode Attacker) Pair(GossipsubOptions? options = null)
    {
        var net = new GossipTestNetwork(21);
        var victim = net.Add(options);
        var attacker = net.Add(options);
        net.Connect(attacker, victim);
        victim.Router.Subscribe(Topic);
        attacker.Router.Subscribe(Topic);
        net.Run();
        net.Heartbeat();
        Assert.That(victim.Router.MeshPeers(Topic), Does.Contain(attacker.Name), "precondition: mesh peers");
        return (net, victim, attacker);
    }

    [Test]
    public void InvalidMessagesScoreTheSenderDownAndGraylistIt()
    {
        var (net, victim, attacker) = Pair();
        victim.Router.SetValidator(Topic, m => m.Data.Span.SequenceEqual("bad"u8) ? ValidationResult.Reject : ValidationResult.Accept);

        var scores = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            attacker.Router.Publish(Topic, "bad"u8);
            net.Run();
            scores.Add(victim.Router.Score(attacker.Name));
        }

        Assert.That(scores[0], Is.LessThan(0));
        Assert.That(scores[1], Is.LessThan(scores[0]));
        Assert.That(scores[2], Is.LessThan(new PeerScoreThresholds().GraylistThreshold), "three invalid messages (P4 = 9 × -10) graylist the sender");
        Assert.That(victim.Graylisted, Is.EqualTo(new[] { attacker.Name }));
        Assert.That(victim.LogLines, Has.Some.Contains("graylisting peer " + attacker.Name));
        Assert.That(victim.Delivered, Is.Empty);

        // Graylisted: even a valid message is ignored now.
        attacker.Router.Publish(Topic, "good"u8);
        net.Run();
        Assert.That(victim.Delivered, Is.Empty);

        // And it is pruned from the mesh at the next heartbeat.
        net.Heartbeat();
        Assert.That(victim.Router.MeshPeers(Topic), Does.Not.Contain(attacker.Name));
    }

    [Test]
    public void IgnoredMessagesAreNeitherDeliveredNorPenalised()
    {
        var (net, victim, attacker) = Pair();
        victim.Router.SetValidator(Topic, _ => ValidationResult.Ignore);
        for (var i = 0; i < 5; i++)
            attacker.Router.Publish(Topic, [(byte)i]);
        net.Run();
        Assert.That(victim.Delivered, Is.Empty);
        Assert.That(victim.Router.Score(attacker.Name), Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public void FirstDeliveriesRaiseTheScore()
    {
        var (net, victim, attacker) = Pair();
        var before = victim.Router.Score(attacker.Name);
        for (var i = 0; i < 5; i++)
            attacker.Router.Publish(Topic, [(byte)i]);
        net.Run();
        Assert.That(victim.Router.Score(attacker.Name), Is.GreaterThan(before + 4), "P2: five first deliveries, weight 1");
    }

    [Test]
    public void ForgedSignatureIsRejectedAndPenalised()
    {
        var (net, victim, attacker) = Pair();
        var author = net.Add(); // not connected to the victim: its identity is impersonated
        var forged = new Message
        {
            From = ByteString.CopyFrom(author.Identity!.PeerIdBytes.Span),
            Seqno = ByteString.CopyFrom(new byte[8] { 0, 0, 0, 0, 0, 0, 0, 1 }),
            Topic = Topic,
            Data = ByteString.CopyFromUtf8("forged"),
            Signature = ByteString.CopyFrom(attacker.Identity!.Sign("libp2p-pubsub:whatever"u8)),
        };
        var rpc = new RPC();
        rpc.Publish.Add(forged);
        net.Inject(attacker.Name, victim, rpc);

        Assert.That(victim.Delivered, Is.Empty);
        Assert.That(victim.Router.Score(attacker.Name), Is.LessThan(0));
        Assert.That(victim.LogLines, Has.Some.Contains("invalid signature"));
        Assert.That(victim.Router.SeenCount, Is.Zero, "a forged copy must not poison the seen cache for the genuine message");
    }

    [TestCase("from")]
    [TestCase("seqno")]
    [TestCase("signature")]
    public void StrictSignRejectsMessagesMissingAField(string missing)
    {
        var (net, victim, attacker) = Pair();
        var m = new Message
        {
            From = ByteString.CopyFrom(attacker.Identity!.PeerIdBytes.Span),
            Seqno = ByteString.CopyFrom(new byte[8]),
            Topic = Topic,
            Data = ByteString.CopyFromUtf8("x"),
            Signature = ByteString.CopyFrom(new byte[64]),
        };
        switch (missing)
        {
            case "from": m.ClearFrom(); break;
            case "seqno": m.ClearSeqno(); break;
            default: m.ClearSignature(); break;
        }

        var rpc = new RPC();
        rpc.Publish.Add(m);
        net.Inject(attacker.Name, victim, rpc);
        Assert.That(victim.Delivered, Is.Empty);
        Assert.That(victim.LogLines, Has.Some.Contains("StrictSign: "));
    }

    [Test]
    public void StrictNoSignRejectsOriginStampedMessagesAndAcceptsPlainOnes()
    {
        var o = new GossipsubOptions { SignaturePolicy = SignaturePolicy.StrictNoSign };
        var net = new GossipTestNetwork(22);
        var victim = net.Add(o, signed: false);
        var sender = net.Add(o, signed: false);
        net.Connect(sender, victim);
        victim.Router.Subscribe(Topic);
        sender.Router.Subscribe(Topic);
        net.Heartbeat();

        sender.Router.Publish(Topic, "plain"u8);
        net.Run();
        Assert.That(victim.Delivered, Has.Count.EqualTo(1));
        Assert.That(victim.Delivered[0].From.IsEmpty, Is.True);
        Assert.That(victim.Delivered[0].Id.Span.ToArray(), Is.EqualTo(System.Security.Cryptography.SHA256.HashData("plain"u8)), "StrictNoSign ids are SHA-256(data)");

        var stamped = new RPC();
        stamped.Publish.Add(new Message { Topic = Topic, Data = ByteString.CopyFromUtf8("stamped"), Seqno = ByteString.CopyFrom(new byte[8]) });
        net.Inject(sender.Name, victim, stamped);
        Assert.That(victim.Delivered, Has.Count.EqualTo(1));
        Assert.That(victim.LogLines, Has.Some.Contains("StrictNoSign"));

        Assert.Throws<DuplicateMessageException>(() => sender.Router.Publish(Topic, "plain"u8), "identical data has an identical id under StrictNoSign");
    }

    [Test]
    public void DefaultMessageIdIsTheAuthorKeyAndSeqnoLikeJsLibp2p()
    {
        var (net, victim, attacker) = Pair();
        attacker.Router.Publish(Topic, "id"u8);
        net.Run();
        var m = victim.Delivered.Single();
        var from = attacker.Identity!.PeerIdBytes.ToArray();
        // js-libp2p-gossipsub 14 msgIdFnStrictSign: protobuf public key (the identity multihash's digest) ‖ seqno.
        Assert.That(m.Id.Span.ToArray(), Is.EqualTo(from[2..].Concat(m.SeqNo.ToArray()).ToArray()));
        Assert.That(m.From.ToArray(), Is.EqualTo(from));
        Assert.That(m.SeqNo.Length, Is.EqualTo(8));
    }

    [Test]
    public void CustomMessageIdFunctionIsUsed()
    {
        var o = new GossipsubOptions { MessageIdFunction = m => m.Data.ToByteArray() };
        var (net, victim, attacker) = Pair(o);
        attacker.Router.Publish(Topic, "abc"u8);
        net.Run();
        Assert.That(victim.Delivered.Single().Id.Span.ToArray(), Is.EqualTo("abc"u8.ToArray()));
    }

    [Test]
    public void PeerFloodingBogusIHavesIsGraylisted()
    {
        var (net, victim, attacker) = Pair();
        var rng = new Random(1);
        for (var round = 0; round < 20 && victim.Graylisted.Count == 0; round++)
        {
            // Ten IHAVEs a heartbeat (the limit) of ids that do not exist; the victim asks, nothing comes.
            for (var i = 0; i < 10; i++)
            {
                var ihave = new ControlIHave { TopicID = Topic };
                for (var k = 0; k < 50; k++)
                {
                    var id = new byte[20];
                    rng.NextBytes(id);
                    ihave.MessageIDs.Add(ByteString.CopyFrom(id));
                }

                var rpc = new RPC { Control = new ControlMessage() };
                rpc.Control.Ihave.Add(ihave);
                net.Inject(attacker.Name, victim, rpc);
            }

            net.Heartbeat(4); // past the IWANT follow-up time: broken promises turn into P7 penalties
        }

        Assert.That(victim.Graylisted, Does.Contain(attacker.Name));
        Assert.That(victim.LogLines, Has.Some.Contains("did not deliver it; penalised"));
        Assert.That(victim.Router.PromiseCount, Is.Zero);
    }

    [Test]
    public void IHaveFloodIsCappedPerHeartbeat()
    {
        var (net, victim, attacker) = Pair();
        var asked = 0;
        net.Drop = (from, to, rpc) =>
        {
            if (from == victim.Name && rpc.Control is { } c)
                asked += c.Iwant.Sum(w => w.MessageIDs.Count);
            return false;
        };

        var rng = new Random(2);
        for (var i = 0; i < 50; i++)
        {
            var ihave = new ControlIHave { TopicID = Topic };
            for (var k = 0; k < 1000; k++)
            {
                var id = new byte[16];
                rng.NextBytes(id);
                ihave.MessageIDs.Add(ByteString.CopyFrom(id));
            }

            var rpc = new RPC { Control = new ControlMessage() };
            rpc.Control.Ihave.Add(ihave);
            victim.Router.HandleRpc(attacker.Name, rpc);
            net.Run();
        }

        Assert.That(asked, Is.LessThanOrEqualTo(new GossipsubOptions().MaxIHaveLength));
        Assert.That(victim.LogLines, Has.Some.Contains("IHAVEs this heartbeat"));
    }

    [Test]
    public void IWantRetransmissionsAreLimited()
    {
        var (net, victim, attacker) = Pair();
        victim.Router.Publish(Topic, "cached"u8);
        net.Run();
        var id = attacker.Delivered.Single().Id;

        var answered = 0;
        net.Drop = (from, to, rpc) =>
        {
            if (from == victim.Name)
                answered += rpc.Publish.Count;
            return false;
        };
        var iwant = new RPC { Control = new ControlMessage() };
        iwant.Control.Iwant.Add(new ControlIWant { MessageIDs = { ByteString.CopyFrom(id.Span) } });
        for (var i = 0; i < 10; i++)
            net.Inject(attacker.Name, victim, iwant);

        Assert.That(answered, Is.EqualTo(new GossipsubOptions().GossipRetransmission));
    }

    [Test]
    public void OversizedMessageIsRejectedAndPublishingOneThrows()
    {
        var o = new GossipsubOptions { MaxMessageSize = 1024 };
        var (net, victim, attacker) = Pair(o);
        Assert.Throws<ArgumentException>(() => attacker.Router.Publish(Topic, new byte[1025]));

        var big = new Message { Topic = Topic, Data = ByteString.CopyFrom(new byte[2048]), From = ByteString.CopyFrom(attacker.Identity!.PeerIdBytes.Span), Seqno = ByteString.CopyFrom(new byte[8]), Signature = ByteString.CopyFrom(new byte[64]) };
        var rpc = new RPC();
        rpc.Publish.Add(big);
        net.Inject(attacker.Name, victim, rpc);
        Assert.That(victim.Delivered, Is.Empty);
        Assert.That(victim.LogLines, Has.Some.Contains("exceeds 1024"));
    }

    [Test]
    public void MessageWithoutTopicOrOnUnknownTopicChangesNothingVisible()
    {
        var (net, victim, attacker) = Pair();
        var rpc = new RPC();
        rpc.Publish.Add(new Message { Data = ByteString.CopyFromUtf8("no topic") });
        rpc.Publish.Add(new Message { Topic = "not-subscribed", Data = ByteString.CopyFromUtf8("other") });
        rpc.Subscriptions.Add(new RPC.Types.SubOpts { Subscribe = true }); // no topic id
        net.Inject(attacker.Name, victim, rpc);
        Assert.That(victim.Delivered, Is.Empty);
        Assert.That(victim.Router.SeenCount, Is.Zero);
        Assert.That(victim.LogLines, Has.Some.Contains("without a topic"));
    }

    [Test]
    public void MemoryStaysBoundedUnderAFloodOfDistinctMessages()
    {
        var o = new GossipsubOptions { SignaturePolicy = SignaturePolicy.StrictNoSign, SeenCapacity = 5000, MessageCacheCapacity = 2000 };
        var net = new GossipTestNetwork(23);
        var victim = net.Add(o, signed: false);
        var flooder = net.Add(o, signed: false);
        var bystander = net.Add(o, signed: false);
        net.Connect(flooder, victim);
        net.Connect(bystander, victim);
        foreach (var n in new[] { victim, flooder, bystander })
            n.Router.Subscribe(Topic);
        net.Heartbeat();

        for (var i = 0; i < 50_000; i++)
        {
            var rpc = new RPC();
            rpc.Publish.Add(new Message { Topic = Topic, Data = ByteString.CopyFrom(BitConverter.GetBytes(i)) });
            victim.Router.HandleRpc(flooder.Name, rpc);
            if (i % 1000 == 0)
                net.Run();
        }

        net.Run();
        Assert.That(victim.Router.SeenCount, Is.LessThanOrEqualTo(5000));
        Assert.That(victim.Router.CachedMessageCount, Is.LessThanOrEqualTo(2000));
        net.Heartbeat(10);
        Assert.That(victim.Router.CachedMessageCount, Is.Zero, "the cache empties once its windows have shifted out");
    }

    [Test]
    public void RetainedScoreSurvivesAReconnect()
    {
        var (net, victim, attacker) = Pair();
        victim.Router.SetValidator(Topic, _ => ValidationResult.Reject);
        attacker.Router.Publish(Topic, "bad"u8);
        net.Run();
        var score = victim.Router.Score(attacker.Name);
        Assert.That(score, Is.LessThan(0));

        net.Disconnect(attacker, victim);
        net.Connect(attacker, victim);
        Assert.That(victim.Router.Score(attacker.Name), Is.LessThan(0), "a bad peer must not reset its score by reconnecting");
    }

    [Test]
    public void MeshDeliveryDeficitPenalisesSilentMeshPeers()
    {
        var topicParams = new TopicScoreParams
        {
            MeshMessageDeliveriesWeight = -1,
            MeshMessageDeliveriesThreshold = 3,
            MeshMessageDeliveriesActivation = TimeSpan.FromSeconds(2),
            MeshFailurePenaltyWeight = -1,
            MeshFailurePenaltyDecay = 0.99,
            TimeInMeshWeight = 0,
        };
        var o = new GossipsubOptions { Score = new PeerScoreParams { DefaultTopic = topicParams } };
        var net = new GossipTestNetwork(24);
        var victim = net.Add(o); // only the victim scores deliveries: the publisher would see the victim as silent
        var silent = net.Add();
        var helpful = net.Add();
        net.Connect(silent, victim);
        net.Connect(helpful, victim);
        foreach (var n in new[] { victim, silent, helpful })
            n.Router.Subscribe(Topic);
        net.Run();
        net.Heartbeat();
        Assert.That(victim.Router.MeshPeers(Topic), Is.EquivalentTo(new[] { silent.Name, helpful.Name }), "precondition");
        // The silent peer forwards nothing: drop whatever it sends.
        net.Drop = (from, to, rpc) => from == silent.Name && rpc.Publish.Count > 0;
        for (var i = 0; i < 3; i++)
        {
            for (var k = 0; k < 5; k++)
                helpful.Router.Publish(Topic, [(byte)i, (byte)k]);
            net.Run();
            net.Heartbeat();
        }

        Assert.That(victim.LogLines, Has.Some.Contains($"pruning {silent.Name} from '{Topic}': score -9 is negative"), "P3: (3 - 0)² × -1");
        Assert.That(victim.Router.MeshPeers(Topic), Is.EqualTo(new[] { helpful.Name }), string.Join("\n", victim.LogLines));
        Assert.That(victim.Router.Score(silent.Name), Is.LessThan(0), "P3b keeps the deficit after the prune");
        Assert.That(victim.Router.Score(helpful.Name), Is.GreaterThan(0));
    }
}
