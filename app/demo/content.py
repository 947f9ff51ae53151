"""Demo content for Reclaim: themes, consultations, answers, replies and name parts.

Pure data, standard library only. Everything here is invented for demonstration: the
consultations, answers and organisation names are fictional, and every contributor is a
made-up pseudonym. The demo seeding code turns this into database rows.

Structure:

- ``THEMES``: the five themes, by slug.
- ``CONSULTATIONS``: one open consultation per theme, one closed consultation (law reform,
  on guidance for prosecuting abusive online communications) and one upcoming consultation.
  Each has 3-5 questions with optional guidance and a stance prompt.
- ``CLOSED_ANSWERS``: question index (0-based) -> ``(stance, markdown)`` answers for the
  closed consultation.
- ``OPEN_ANSWERS``: consultation slug -> question index -> ``(stance, markdown)`` answers.
- ``REPLIES``: short, civil replies that fit under most answers.
- ``PSEUDONYM_ADJECTIVES`` / ``PSEUDONYM_NOUNS``: parts for pseudonyms such as "QuietHeron42".
- ``ORGANISATION_NAMES``: fictional organisations.

Stances are one of ``agree``, ``disagree``, ``neutral`` and ``not_sure``.
"""

THEMES: list[dict[str, str]] = [
    {
        "slug": "law-reform",
        "name": "Law reform",
        "description": (
            "Whether the criminal and civil law has kept pace with abuse that happens online, and "
            "what should change."
        ),
    },
    {
        "slug": "policing",
        "name": "Policing",
        "description": (
            "How the police investigate online abuse, support the people who report it, and build "
            "the skills to do both well."
        ),
    },
    {
        "slug": "online-platforms",
        "name": "Online platforms",
        "description": (
            "What social networks, forums and publishers owe the people who use them: rules, "
            "complaint handling, tools and openness about abuse."
        ),
    },
    {
        "slug": "employers-and-organisations",
        "name": "Employers and organisations",
        "description": (
            "The part employers, unions, charities, clubs and political parties can play, both in "
            "protecting staff and members and in setting standards for them."
        ),
    },
    {
        "slug": "young-people",
        "name": "Young people",
        "description": (
            "Making sure that abuse online never becomes an ordinary part of growing up, through "
            "schools, families, youth services and young people themselves."
        ),
    },
]

# Each consultation: slug, theme (a theme slug), title, summary (one sentence, for cards),
# introduction (Markdown), state (open | closed | upcoming) and questions (text, guidance,
# stance_prompt). Guidance may be an empty string.
CONSULTATIONS: list[dict] = [
    {
        "slug": "updating-the-law-on-online-abuse",
        "theme": "law-reform",
        "title": "Updating the law on online abuse",
        "summary": (
            "Much of the law we rely on was written before social media existed; tell us where it "
            "falls short."
        ),
        "introduction": (
            "Most of the offences used against online abusers were drafted for letters, phone "
            "calls and conversations in the street. Courts and prosecutors have stretched them to "
            "cover social media, but people who have been targeted often tell us the law feels "
            "patchy, slow and hard to understand.\n"
            "\n"
            "This consultation looks at a handful of specific proposals that campaigners, lawyers "
            "and survivors have raised with us. They include:\n"
            "\n"
            "- making sure that protective orders in cases of domestic abuse and stalking "
            "automatically cover contact and intimidation online;\n"
            "- giving people whose intimate images are shared without consent the same right to "
            "stay anonymous in the press that other victims of sexual offences already have;\n"
            "- tidying up the overlapping communications offences into something a member of the "
            "public can follow;\n"
            "- treating a threat to share private images as a wrong in its own right.\n"
            "\n"
            "We are not lawyers drafting a bill, and you do not need to be one to take part. We "
            "want to know whether these ideas would have made a difference to you or to people you "
            "support, what the risks might be, and what we have missed.\n"
            "\n"
            "Please answer as many or as few questions as you like. Your answers appear under your "
            "pseudonym; your real name is never shown. If you describe a real case, please leave "
            "out details that would identify anyone else involved."
        ),
        "state": "open",
        "questions": [
            {
                "text": (
                    "Should protective orders in domestic abuse and stalking cases automatically "
                    "forbid contact and harassment online as well as in person?"
                ),
                "guidance": (
                    "At present an order may or may not spell out online contact, depending on how "
                    "it was drafted."
                ),
                "stance_prompt": "Should online contact be covered automatically?",
            },
            {
                "text": (
                    "Should people whose intimate images are shared without their consent be given "
                    "lifelong anonymity in reporting of the case?"
                ),
                "guidance": (
                    "Victims of many sexual offences already have this protection; victims of "
                    "image-based abuse generally do not."
                ),
                "stance_prompt": "Should these victims get anonymity?",
            },
            {
                "text": (
                    "Would a single, clearly worded offence of online abuse be better than the "
                    "current mix of older communications offences?"
                ),
                "guidance": "",
                "stance_prompt": "Is a single modern offence a better approach?",
            },
            {
                "text": (
                    "Should threatening to share someone's private images be an offence even if "
                    "the images are never actually shared?"
                ),
                "guidance": (
                    "Think about blackmail, coercion within relationships and threats made after a "
                    "break-up."
                ),
                "stance_prompt": "Should the threat itself be an offence?",
            },
        ],
    },
    {
        "slug": "policing-online-abuse",
        "theme": "policing",
        "title": "Policing online abuse",
        "summary": (
            "What should the police do differently when someone reports abuse, threats or stalking "
            "that happens online?"
        ),
        "introduction": (
            "When the law is clear, a case still depends on the officer who takes the first "
            "report. People who have contacted the police about online abuse describe very "
            "different experiences: some were taken seriously and kept informed, others were told "
            "to close their accounts or that nothing could be done because the messages were 'only "
            "on the internet'.\n"
            "\n"
            "At the same time the police have been criticised from the other direction, for "
            "spending time on online remarks that many people felt were offensive but not "
            "criminal. Getting this balance right needs training, time and clear priorities.\n"
            "\n"
            "We would like your views on four questions:\n"
            "\n"
            "1. how much every frontline officer should know about online offences;\n"
            "2. whether serious or complex cases belong with specialist regional or national teams;"
            "\n"
            "3. what support and information people should receive after making a report;\n"
            "4. how evidence should be gathered and kept, especially when posts may be deleted.\n"
            "\n"
            "Answers from officers, staff, support workers and people who have reported abuse "
            "themselves are all very welcome. Please do not include the names of officers or "
            "details of live investigations."
        ),
        "state": "open",
        "questions": [
            {
                "text": (
                    "Should every frontline police officer receive training on recognising and "
                    "recording online offences?"
                ),
                "guidance": (
                    "Consider what a first conversation with someone reporting online abuse ought "
                    "to look like."
                ),
                "stance_prompt": "Is universal training needed?",
            },
            {
                "text": (
                    "Should the most serious or complex cases of online abuse be handled by "
                    "specialist regional or national units rather than local officers?"
                ),
                "guidance": "",
                "stance_prompt": "Should specialist units take these cases?",
            },
            {
                "text": (
                    "Should people who report online abuse be given a named contact and regular "
                    "updates until their case is closed?"
                ),
                "guidance": (
                    "Tell us what information or support would have helped you, or the people you "
                    "work with."
                ),
                "stance_prompt": "Is a named contact the right commitment?",
            },
            {
                "text": (
                    "Should the police issue clear public guidance on how to capture and keep "
                    "evidence of online abuse before it is reported?"
                ),
                "guidance": "Posts and accounts are often removed before an officer sees them.",
                "stance_prompt": "Would public evidence guidance help?",
            },
        ],
    },
    {
        "slug": "what-we-expect-from-platforms",
        "theme": "online-platforms",
        "title": "What we expect from online platforms",
        "summary": (
            "Rules, complaints, safety tools, transparency and anonymity: the questions every "
            "platform should be able to answer."
        ),
        "introduction": (
            "A landlord can ask someone to leave the pub if they are intimidating other customers. "
            "Online, the equivalent decisions are taken by the companies and volunteers who run "
            "social networks, forums, comment sections and messaging services. Some have thought "
            "hard about what kind of place they want to run; others have very few rules and fewer "
            "people to enforce them.\n"
            "\n"
            "We think any platform, large or small, should be able to give a straight answer to a "
            "short set of questions: what its rules are, how quickly and how fairly it deals with "
            "complaints, what tools it gives people to protect themselves, whether someone other "
            "than the target can report abuse, how open it is about the scale of the problem, and "
            "whether it allows people to post anonymously.\n"
            "\n"
            "Reclaim tries to answer those questions for itself. Everyone here posts under a "
            "pseudonym, so your name is private, but nobody is anonymous to us: if someone breaks "
            "the rules we know who they are, and if they commit a crime we can pass their details "
            "to the police.\n"
            "\n"
            "Tell us what you expect from the services you use, and where you think the line "
            "should be drawn. Moderators, developers and people who run small community sites are "
            "especially welcome to share what works in practice."
        ),
        "state": "open",
        "questions": [
            {
                "text": (
                    "Should every platform publish plain-language community standards and tell "
                    "people who report abuse what action was taken?"
                ),
                "guidance": (
                    "Many people who report receive only an automated reply, or nothing at all."
                ),
                "stance_prompt": "Should this be a basic expectation?",
            },
            {
                "text": (
                    "Do platforms give people enough tools to protect themselves, such as "
                    "blocking, muting, filtering and limiting who can reply?"
                ),
                "guidance": "",
                "stance_prompt": "Are the current tools enough?",
            },
            {
                "text": (
                    "Should friends, family, charities and bystanders be able to report abuse "
                    "aimed at someone else and have it acted on?"
                ),
                "guidance": "Some services only act on a complaint from the person targeted.",
                "stance_prompt": "Should third-party reports be accepted?",
            },
            {
                "text": (
                    "Should platforms publish regular transparency reports showing how much abuse "
                    "is reported, how fast they respond and what they remove?"
                ),
                "guidance": "",
                "stance_prompt": "Should transparency reports be required?",
            },
            {
                "text": (
                    "Is it right for a platform to let people post under a pseudonym while keeping "
                    "their real identity on record?"
                ),
                "guidance": "This is the approach Reclaim takes: private, but not anonymous.",
                "stance_prompt": "Is 'private but not anonymous' the right balance?",
            },
        ],
    },
    {
        "slug": "online-abuse-and-work",
        "theme": "employers-and-organisations",
        "title": "Online abuse and the workplace",
        "summary": (
            "What employers, unions and membership organisations owe people who are abused online, "
            "and what they should expect of their own members."
        ),
        "introduction": (
            "For a growing number of people, online abuse is part of the job. Teachers are "
            "targeted by pupils and parents, council staff and nurses are named and shamed in "
            "local groups, journalists and campaigners receive threats for doing their work, and "
            "shop and call-centre workers find themselves discussed in reviews and comment threads."
            "\n"
            "\n"
            "Employers already have duties towards the health and safety of their staff, and many "
            "have good policies on harassment and domestic abuse. Unions have long experience of "
            "defending members against bullying and discrimination. Political parties, clubs and "
            "campaign groups set standards of behaviour for their members. Yet online abuse often "
            "falls between these policies.\n"
            "\n"
            "Social media guidance at work also tends to focus on protecting the organisation's "
            "reputation rather than on how staff treat one another, or the public, online.\n"
            "\n"
            "We would like to hear from employees, managers, HR staff, union representatives and "
            "anyone who runs a membership organisation. What should a good policy include, and how "
            "far should an organisation be responsible for what its people do online?"
        ),
        "state": "open",
        "questions": [
            {
                "text": (
                    "Should employers have a clear duty of care towards staff who are abused "
                    "online because of their work?"
                ),
                "guidance": (
                    "For example: time off, paid legal advice, help with reporting, or removing "
                    "staff names from public pages."
                ),
                "stance_prompt": "Should this duty be explicit?",
            },
            {
                "text": (
                    "Should workplace social media policies cover how staff treat colleagues and "
                    "the public online, not only the organisation's reputation?"
                ),
                "guidance": "",
                "stance_prompt": "Should policies be widened in this way?",
            },
            {
                "text": (
                    "Should unions, political parties and membership organisations hold their "
                    "members to account for abusing people online?"
                ),
                "guidance": (
                    "Think about codes of conduct, complaints processes and sanctions such as "
                    "suspension."
                ),
                "stance_prompt": "Should members be held to account?",
            },
        ],
    },
    {
        "slug": "growing-up-online",
        "theme": "young-people",
        "title": "Growing up online without abuse",
        "summary": (
            "How schools, families and youth services can make sure the next generation never sees "
            "abuse online as just part of growing up."
        ),
        "introduction": (
            "A large share of young people say they have been targeted by abuse online, whether "
            "that is bullying in group chats, pressure to share images, or comments about their "
            "appearance, race, sexuality or disability. Many of them say they did not tell anyone, "
            "because they did not think it would help or because they were worried about losing "
            "their phone.\n"
            "\n"
            "Lots of people believe the answer starts with how young people learn about "
            "relationships and respect in general, and that good relationships education makes the "
            "online world better too. Others point to the power of positive online communities, "
            "older role models and young people supporting each other.\n"
            "\n"
            "We want to know:\n"
            "\n"
            "- what schools should be teaching, and from what age;\n"
            "- how young people can report abuse in ways they trust;\n"
            "- what support helps once something has happened;\n"
            "- how young people themselves can lead the change.\n"
            "\n"
            "We especially want to hear from young people, parents, carers, teachers and youth "
            "workers. If you are under 16, please ask a parent or carer before joining, and never "
            "share details that could identify you or your school."
        ),
        "state": "open",
        "questions": [
            {
                "text": (
                    "Should every school teach relationships education that covers behaviour "
                    "online, starting in primary school?"
                ),
                "guidance": "Tell us what topics matter most and who should teach them.",
                "stance_prompt": "Should this start at primary age?",
            },
            {
                "text": (
                    "Do young people have ways to report online abuse that they actually trust and "
                    "use?"
                ),
                "guidance": "",
                "stance_prompt": "Are the current reporting routes good enough?",
            },
            {
                "text": (
                    "Should schools be expected to act on online abuse between pupils even when it "
                    "happens outside school hours?"
                ),
                "guidance": "",
                "stance_prompt": "Should schools act in these cases?",
            },
            {
                "text": (
                    "Could young people themselves, through peer mentoring and youth-led "
                    "campaigns, do more to change behaviour online than adults can?"
                ),
                "guidance": "Share examples of projects that worked, or did not, in your area.",
                "stance_prompt": "Can young people lead this change?",
            },
        ],
    },
    {
        "slug": "guidance-on-prosecuting-online-communications",
        "theme": "law-reform",
        "title": "Guidance for prosecuting abusive online communications",
        "summary": (
            "Our response to prosecutors' draft guidance on when abusive messages and posts should "
            "lead to criminal charges."
        ),
        "introduction": (
            "Prosecutors have published draft guidance on how they decide whether an abusive "
            "message, post or image sent online should lead to a criminal prosecution. It sorts "
            "online communications into four broad groups:\n"
            "\n"
            "1. credible threats of violence against a person or damage to their property;\n"
            "2. communications aimed at a particular person that may amount to harassment, "
            "stalking, controlling or coercive behaviour, disclosing private sexual images without "
            "consent, blackmail or another offence;\n"
            "3. communications that break a court order, such as bail conditions or a restraining "
            "order;\n"
            "4. communications that may be grossly offensive, indecent, obscene or false.\n"
            "\n"
            "The draft says that the first three groups should generally be prosecuted firmly. For "
            "the fourth group it sets a much higher bar, because freedom of expression protects "
            "speech that shocks or offends, and a prosecution will often not be in the public "
            "interest.\n"
            "\n"
            "We gathered views from the public, support services, lawyers, teachers and moderators "
            "to feed into our own response. This consultation is now closed, and organisers will "
            "publish a summary of what people told us and how it shaped our response. You can "
            "still read every answer and the discussion that followed."
        ),
        "state": "closed",
        "questions": [
            {
                "text": (
                    "Are the four categories a clear and useful way of deciding which online "
                    "communications should be prosecuted?"
                ),
                "guidance": "",
                "stance_prompt": "Are the four categories the right framework?",
            },
            {
                "text": (
                    "Should threats, targeted harassment and breaches of court orders made online "
                    "always be prosecuted firmly where the evidence allows?"
                ),
                "guidance": "These are the first three categories in the draft guidance.",
                "stance_prompt": "Should these be prosecuted firmly?",
            },
            {
                "text": (
                    "Is a high threshold for prosecuting grossly offensive, indecent, obscene or "
                    "false messages the right balance with freedom of expression?"
                ),
                "guidance": (
                    "This is the fourth category, where the draft says prosecution will less often "
                    "be in the public interest."
                ),
                "stance_prompt": "Is the high threshold right?",
            },
            {
                "text": (
                    "Does the guidance say enough about gathering and preserving evidence when "
                    "abusive posts may be deleted or accounts closed?"
                ),
                "guidance": "",
                "stance_prompt": "Is the guidance on evidence adequate?",
            },
            {
                "text": (
                    "Should it count against an offender when online abuse targets someone because "
                    "of their identity or because they serve the public?"
                ),
                "guidance": (
                    "For example abuse aimed at someone's race, religion, sexuality or disability, "
                    "or at teachers, nurses and elected representatives."
                ),
                "stance_prompt": "Should this make prosecution more likely?",
            },
        ],
    },
    {
        "slug": "keeping-the-evidence",
        "theme": "online-platforms",
        "title": "Keeping the evidence: takedowns, preservation and police referrals",
        "summary": (
            "When a platform removes abusive content, how should it make sure the evidence is not "
            "lost?"
        ),
        "introduction": (
            "Removing an abusive post quickly protects the person targeted, but it can also "
            "destroy the evidence they need if they go to the police. People who have been stalked "
            "online tell us that by the time an officer looked at their case, the account and its "
            "messages had vanished.\n"
            "\n"
            "There is also a live debate about whether platforms should have to tell the police "
            "when they find communications that appear to be criminal, and how that can be done "
            "without sweeping up ordinary users' private data.\n"
            "\n"
            "This consultation will open soon. It will ask how long removed content should be "
            "kept, who should be able to get hold of it, and when a platform should refer a case "
            "to the police itself. We also want to know whether the person who made a report "
            "should be told what happened to it, since silence after a report is one of the most "
            "common complaints we hear.\n"
            "\n"
            "If you run a community site or moderate one, we would particularly value your "
            "experience, including the practical costs of storing material safely and the risks of "
            "keeping it too long."
        ),
        "state": "upcoming",
        "questions": [
            {
                "text": (
                    "Should platforms keep a secure copy of abusive content they remove, so that "
                    "it can be given to the person targeted or the police?"
                ),
                "guidance": "",
                "stance_prompt": "Should removed content be preserved?",
            },
            {
                "text": (
                    "Should platforms be required to refer communications that appear to be "
                    "criminal to the police, with the evidence attached?"
                ),
                "guidance": "",
                "stance_prompt": "Should referral be required?",
            },
            {
                "text": (
                    "Should the person who reported abuse always be told when their report has "
                    "been passed to the police?"
                ),
                "guidance": "",
                "stance_prompt": "Should reporters always be told?",
            },
        ],
    },
]

# Answers to the closed consultation ('guidance-on-prosecuting-online-communications'),
# by 0-based question index: (stance, markdown text).
CLOSED_ANSWERS: dict[int, list[tuple[str, str]]] = {
    0: [
        (
            "agree",
            (
                "Yes. Having four named groups makes it much easier to explain to someone who has "
                "been targeted why one message might lead to charges and another might not. "
                "Clarity is half the battle."
            ),
        ),
        (
            "agree",
            (
                "Broadly yes. I work on a helpline and callers constantly ask us 'is this "
                "illegal?'. Being able to say *it looks like it falls into the second group, the "
                "targeted harassment one* gives them something concrete to take to the police."
            ),
        ),
        (
            "agree",
            (
                "The categories follow the offences that already exist rather than inventing new "
                "ones, which is sensible. Prosecutors need a framework tied to the law as it "
                "stands, not to how upset people feel."
            ),
        ),
        (
            "agree",
            (
                "I think it's a good starting point. My only worry is that people will read "
                "category 4 as 'the category that never gets prosecuted' and stop reporting "
                "anything that looks like it."
            ),
        ),
        (
            "agree",
            (
                "As a criminal defence solicitor I welcome the structure. It gives a consistent "
                "approach across the country, which matters because in my experience outcomes have "
                "varied wildly between areas. Two points though:\n"
                "\n"
                "- the guidance should make clear that a single message can fall into more than "
                "one category;\n"
                "- examples should be updated regularly, because the way people use apps changes "
                "faster than guidance does.\n"
                "\n"
                "Overall, a sensible framework."
            ),
        ),
        (
            "agree",
            (
                "Yes, clear and useful. I moderate a large hobby forum and I've started using the "
                "four groups internally to decide which reports we escalate to the police and "
                "which we handle ourselves with bans."
            ),
        ),
        (
            "agree",
            (
                "Agree. What happened to me was a mix of threats and constant messages from new "
                "accounts, and for a long time nobody could tell me what it *was*. A framework "
                "like this would have helped the first officer I spoke to."
            ),
        ),
        (
            "agree",
            (
                "On behalf of our domestic abuse service: we support the four categories, "
                "particularly the explicit mention of controlling or coercive behaviour in the "
                "second group. Abusers increasingly use phones and social media to monitor and "
                "isolate partners, and survivors often don't realise this is recognised as a "
                "crime. Naming it in prosecution guidance sends a clear message to police and "
                "courts alike. We would like to see the guidance go further in explaining how "
                "tracking apps, shared accounts and demands for passwords fit into that group, "
                "since these are the situations our caseworkers see every week.\n"
                "\n"
                "We would also ask that the guidance is shared with family courts and with the "
                "agencies that sit around the criminal process, such as housing teams, children's "
                "services and health visitors. Survivors tell us they often describe online "
                "monitoring to several professionals before anyone recognises it as part of a "
                "pattern of control. A common understanding of the four categories across those "
                "services would mean fewer people fall through the gaps, and would help survivors "
                "feel believed the first time they speak up."
            ),
        ),
        (
            "agree",
            (
                "The framework is fine. The problem has never been the categories themselves; it's "
                "whether anyone on the front line actually knows about them and applies them."
            ),
        ),
        (
            "agree",
            (
                "Yes. It's simple enough that I could teach it to my sixth formers in a single "
                "lesson, which I think is a good test of whether guidance is clear."
            ),
        ),
        (
            "agree",
            (
                "It's good that the first three categories focus on harm to a specific person. "
                "That's the right emphasis. Broad offence at something said in public is a "
                "different kind of problem."
            ),
        ),
        (
            "agree",
            (
                "Agree overall. I'd like the published version to include a short plain-English "
                "summary for the public, something like a one-page explainer at "
                "https://example.org/four-categories, so people can check before reporting."
            ),
        ),
        (
            "agree",
            (
                "Yes, it's logical: threats, targeted behaviour, breaking a court order, and then "
                "the broad 'offensive' group. I can't think of an online case I've dealt with that "
                "doesn't fit somewhere."
            ),
        ),
        (
            "disagree",
            (
                "No. The categories are drawn around the offences rather than the harm. Someone "
                "receiving hundreds of hateful messages from hundreds of different people doesn't "
                "fit neatly anywhere, because no single sender is 'targeting' them in the legal "
                "sense. That pile-on is exactly what drives people offline."
            ),
        ),
        (
            "disagree",
            (
                "I don't think a list like this helps the public at all. Ordinary people don't "
                "think in terms of 'category 2' or 'category 4', they think 'this is frightening' "
                "or 'this is just rude'. The guidance is written for lawyers."
            ),
        ),
        (
            "disagree",
            (
                "Category 4 is far too vague to be in the same framework. 'Grossly offensive' "
                "means completely different things to different people, and lumping it in with "
                "threats gives it a legitimacy it shouldn't have. I'd remove it entirely and leave "
                "those cases alone."
            ),
        ),
        (
            "disagree",
            (
                "Disagree. The framework treats each message as a separate event, but abuse is "
                "usually a campaign. I'd rather see guidance that looks at the *pattern of "
                "behaviour* over weeks or months first and the individual messages second."
            ),
        ),
        (
            "disagree",
            (
                "The categories are fine on paper but in practice everything I reported was filed "
                "as category 4 and dropped. If the framework can be used to dismiss people that "
                "easily, it isn't working."
            ),
        ),
        (
            "neutral",
            (
                "The categories are reasonable but I think the guidance needs more worked "
                "examples. Abstract definitions only get you so far; a prosecutor or officer will "
                "learn more from five realistic scenarios."
            ),
        ),
        (
            "neutral",
            (
                "I'm broadly comfortable with it, but I'd like to know how the categories interact "
                "with hate crime. If a threat is also racist, which part of the guidance leads?"
            ),
        ),
        (
            "neutral",
            (
                "Hard to say. The framework looks clear, but I'd want to see data after a year or "
                "two showing how many cases fall into each group and what happened to them before "
                "I'd call it useful."
            ),
        ),
        (
            "neutral",
            (
                "Speaking as a youth worker: the categories make sense for adults, but a lot of "
                "what happens between teenagers is a blur of categories 2 and 4, often in group "
                "chats where everyone is both victim and sender. I'd like to see a separate "
                "section on young people, which stresses that prosecution is rarely the right "
                "answer for children but that serious cases still need to be taken seriously."
            ),
        ),
        (
            "neutral",
            (
                "It's a workable framework. Whether it's *useful* depends entirely on training. A "
                "clear list in a document nobody reads changes nothing."
            ),
        ),
        (
            "neutral",
            (
                "Partly. The first three are clear. The fourth is a catch-all and needs a lot more "
                "explanation of where the line sits."
            ),
        ),
        (
            "neutral",
            (
                "I can see the logic. I'd just point out that the categories assume you know who "
                "sent the message. In many of the cases our charity deals with, the hardest part "
                "is identifying the account holder at all, and the guidance has little to say "
                "about that."
            ),
        ),
        (
            "neutral",
            (
                "Some of the language feels dated. 'Revenge pornography' in particular should be "
                "replaced with something like *disclosing private sexual images without consent*; "
                "the old phrase implies the victim did something to deserve revenge."
            ),
        ),
        (
            "neutral",
            (
                "I'd keep the four groups but reorder them so that the targeted categories come "
                "first in the document. Threats are important, but most people reading this will "
                "be dealing with harassment, not a single threatening message."
            ),
        ),
        (
            "neutral",
            (
                "Fine in principle. I'd add a sentence reminding prosecutors that the victim's own "
                "description of the impact matters, even when the words themselves look mild to an "
                "outsider. A message like 'nice car' isn't mild if it's from your ex who isn't "
                "meant to know where you live."
            ),
        ),
        (
            "not_sure",
            (
                "I honestly don't know enough about the law to say. What I do know is that when I "
                "went to the police nobody mentioned any categories at all."
            ),
        ),
        (
            "not_sure",
            (
                "I can't decide. The structure seems tidy, but I worry that tidy structures make "
                "it easy to slot people's experiences into boxes without listening to them."
            ),
        ),
        (
            "agree",
            (
                "Yes. A clear framework protects free speech as well as victims, because it tells "
                "everyone, including the police, what is *not* a matter for the criminal courts."
            ),
        ),
        (
            "agree",
            (
                "Good framework. Please keep it short. The more pages guidance has, the less "
                "likely a busy officer is to read it on a night shift."
            ),
        ),
    ],
    1: [
        (
            "agree",
            (
                "Absolutely. A threat to kill someone is no less serious because it was typed "
                "rather than shouted. The medium shouldn't lower the response."
            ),
        ),
        (
            "agree",
            (
                "Yes. Breaching a restraining order online is still breaching a restraining order. "
                "Courts make those orders for a reason and they mean nothing if the online version "
                "is ignored."
            ),
        ),
        (
            "agree",
            (
                "Agree strongly. My sister had a non-contact order against her former partner and "
                "he simply started messaging her from new accounts. Every time she reported it she "
                "was told it was 'only social media'. That has to stop."
            ),
        ),
        (
            "agree",
            (
                "From a refuge perspective: yes. Online contact is often the first sign that a "
                "perpetrator is testing the boundaries of an order. If it goes unanswered, the "
                "next step is frequently turning up in person. Firm prosecution of online breaches "
                "is a safety measure, not just a matter of principle."
            ),
        ),
        (
            "agree",
            (
                "Yes, where the evidence is there. 'Firmly' should mean the case isn't quietly "
                "dropped because it seems like a lot of paperwork."
            ),
        ),
        (
            "agree",
            (
                "I agree, and I'd add that prosecutors should be reminded that stalking often "
                "looks harmless when each message is read on its own. *Good morning. Nice coat "
                "today. Saw you at the station.* None of those is a threat. Together, they are "
                "terrifying."
            ),
        ),
        (
            "agree",
            (
                "Yes. I run a small business and was targeted for months by someone who left fake "
                "reviews, messaged my staff and posted my home address. The address was the point "
                "where I stopped sleeping. That should never be treated as a minor matter."
            ),
        ),
        (
            "agree",
            (
                "Agree. People should know that the law takes these three categories seriously. "
                "That knowledge alone will deter some of the people who think the internet is a "
                "free-for-all."
            ),
        ),
        (
            "agree",
            (
                "As a teacher I have seen colleagues receive messages threatening to 'find out "
                "where you live'. They were shaken for weeks. Yes, prosecute."
            ),
        ),
        (
            "agree",
            (
                "Yes. I'd particularly like firmer action on blackmail involving intimate images, "
                "which is growing fast among young men who are targeted by organised scams. They "
                "are often too ashamed to report, so when they do, the response needs to be swift "
                "and non-judgemental."
            ),
        ),
        (
            "agree",
            (
                "Firmly, yes. But 'firmly' also needs to include keeping the victim informed. A "
                "robust prosecution that the victim only hears about by accident is not a good "
                "outcome."
            ),
        ),
        (
            "agree",
            (
                "Yes. Targeted harassment destroys people's ability to work, socialise and live "
                "normally. We would never accept that level of intrusion offline."
            ),
        ),
        (
            "agree",
            (
                "Agree, with the caveat that the guidance should be explicit that public figures "
                "are not fair game. Being a councillor or a journalist doesn't mean you've signed "
                "up for threats."
            ),
        ),
        (
            "agree",
            (
                "Definitely. Too many cases have been dropped because the suspect 'apologised' or "
                "deleted the posts. Deleting them doesn't undo the harm."
            ),
        ),
        (
            "disagree",
            (
                "I don't think 'always' is right for anything. Prosecutors need discretion. A "
                "teenager who makes a stupid threat in a game chat and immediately regrets it "
                "shouldn't be dealt with in the same way as a sustained stalking campaign."
            ),
        ),
        (
            "disagree",
            (
                "Disagree with the wording. 'Firmly' sounds good but in practice it can lead to "
                "over-charging. I'd rather the guidance said *proportionately*, with clear reasons "
                "recorded either way."
            ),
        ),
        (
            "disagree",
            (
                "I'm wary of this. Prosecution isn't the only tool. For many people I support, "
                "what they want is for the behaviour to stop, and sometimes a warning, an order or "
                "a platform ban achieves that faster than a court case that takes a year."
            ),
        ),
        (
            "disagree",
            (
                "No. There are cases where people make jokes that are taken out of context and end "
                "up with criminal records. 'Credible' threat needs to be defined much more "
                "carefully before we talk about prosecuting robustly."
            ),
        ),
        (
            "neutral",
            (
                "In principle yes, but the bottleneck is investigation, not prosecution. "
                "Prosecutors can only be firm with the cases the police actually bring to them."
            ),
        ),
        (
            "neutral",
            (
                "I agree with the aim. The important word is 'credible'. The guidance should "
                "explain how the context, the relationship between the people involved and any "
                "history are used to judge that."
            ),
        ),
        (
            "neutral",
            (
                "I'd support this if it comes with resources. Otherwise it's a promise that can't "
                "be kept, and victims will feel let down all over again."
            ),
        ),
        (
            "neutral",
            (
                "Yes for court order breaches, which are straightforward. Harassment is harder to "
                "prove and I'd want to see more guidance on what counts as a 'course of conduct' "
                "online, for instance whether messages from several accounts run by the same "
                "person count together."
            ),
        ),
        (
            "neutral",
            (
                "Our legal advice clinic sees both sides. Some clients are victims who were turned "
                "away; others are people accused of harassment over what was, frankly, a heated "
                "argument between neighbours on a community page. Firm prosecution of genuine "
                "harassment is right. But the guidance needs to help prosecutors tell the "
                "difference, and the quality of the initial police assessment is crucial.\n"
                "\n"
                "In our experience the cases that go wrong share a few features:\n"
                "\n"
                "- the first report is taken without looking at the history between the people "
                "involved;\n"
                "- both sides are treated as equally responsible because both have posted angry "
                "messages;\n"
                "- nobody checks whether an existing court order already covers the behaviour.\n"
                "\n"
                "A short checklist for the initial assessment, covering history, power imbalance "
                "and any existing orders, would do more for consistency than any change in the "
                "wording about prosecuting *firmly*. We'd be happy to share the checklist we use "
                "with volunteers at https://example.org/clinic-checklist."
            ),
        ),
        (
            "neutral",
            (
                "I agree with prosecuting these cases, but I think sentencing is the bigger issue. "
                "A prosecution that ends in a tiny fine can feel worse than no prosecution at all."
            ),
        ),
        (
            "neutral",
            (
                "Mostly agree. I'd add that restraining orders should routinely mention online "
                "contact, including contact through third parties and new accounts, so that "
                "breaches are easier to prove in the first place."
            ),
        ),
        (
            "neutral",
            (
                "Where the evidence allows, yes. But a lot of the time the evidence is gone before "
                "anyone looks. See my answer to question 4."
            ),
        ),
        (
            "not_sure",
            (
                "Not sure. I believe the cases are serious, but I've also seen how slow the courts "
                "are right now. I'm not convinced prosecution is the quickest way to make someone "
                "safe."
            ),
        ),
        (
            "agree",
            (
                "Yes. Online threats against women in public life are a particular problem, and "
                "they put people off standing for office or speaking up. Prosecuting firmly "
                "protects democracy as well as individuals."
            ),
        ),
        (
            "agree",
            (
                "Agree. I'd simply ask that 'firmly' applies equally regardless of who the victim "
                "is. Men who are harassed by ex-partners online are often not believed."
            ),
        ),
        (
            "agree",
            (
                "Yes. See the write-up of our survivor panel at "
                "https://example.org/survivor-panel-notes. Almost every person who spoke had "
                "reported threats or breaches online and seen nothing happen."
            ),
        ),
        (
            "neutral",
            (
                "The three categories are serious, no argument. I'd like the guidance to say what "
                "*firm* looks like in practice: charging decisions within a target time, bail "
                "conditions that cover online contact, and early use of orders."
            ),
        ),
        (
            "disagree",
            (
                "I think focusing on prosecution misses the point. The platforms let the same "
                "person back on five minutes after they're banned. Fix that first."
            ),
        ),
    ],
    2: [
        (
            "agree",
            (
                "Yes. Free speech has to include the right to say things other people find "
                "offensive. The criminal law is a blunt instrument and shouldn't be used to police "
                "bad taste."
            ),
        ),
        (
            "agree",
            (
                "Agree. I'd far rather platforms and communities deal with offensive content than "
                "the courts. Prosecuting people for jokes, however awful, does more harm than good."
            ),
        ),
        (
            "agree",
            (
                "The high threshold is right. Otherwise the police will be flooded with complaints "
                "about opinions people simply dislike, and the genuinely dangerous cases in the "
                "first three categories will get less attention."
            ),
        ),
        (
            "agree",
            (
                "Yes, and I say that as someone who has received a lot of very unpleasant "
                "messages. Most of them were offensive rather than criminal. What I wanted was for "
                "the platform to act, not for the sender to go to prison."
            ),
        ),
        (
            "agree",
            (
                "As a lawyer, I think the high bar is correct and reflects how the courts have "
                "interpreted the communications offences. The key addition I'd make is a reminder "
                "that the threshold is high, *not* impossible: a sustained stream of grossly "
                "offensive material aimed at a grieving family, for example, may well pass it."
            ),
        ),
        (
            "agree",
            (
                "Agree. I'd add that the guidance should make clear that 'false' here means "
                "deliberately false and harmful, not simply wrong. People get things wrong online "
                "all the time."
            ),
        ),
        (
            "agree",
            (
                "Yes. There's a real risk that without a high threshold, offence laws get used "
                "against the very groups they're supposed to protect, such as campaigners, "
                "protesters and minorities who say uncomfortable things."
            ),
        ),
        (
            "agree",
            (
                "The balance feels right to me. Satire, protest and robust political debate have "
                "to be protected, even when they are cruel or in very poor taste."
            ),
        ),
        (
            "agree",
            (
                "Yes. It's consistent with how we would treat exactly the same words said out loud "
                "in a pub. Offensive, maybe. Criminal, usually not."
            ),
        ),
        (
            "agree",
            (
                "Agreed, provided that offensive messages that are part of a campaign against one "
                "person are treated under category 2 instead. The threshold for category 4 "
                "shouldn't become an escape route for harassers."
            ),
        ),
        (
            "agree",
            (
                "On balance yes. I moderate a political discussion group and see a lot of heated "
                "language. Very little of it should ever be near a court."
            ),
        ),
        (
            "disagree",
            (
                "No. The threshold is so high that in practice it means grossly offensive racist "
                "and misogynistic abuse is never prosecuted. Telling victims 'it wasn't quite bad "
                "enough' is demoralising."
            ),
        ),
        (
            "disagree",
            (
                "I disagree. Indecent images sent to someone who didn't ask for them, like "
                "unsolicited explicit pictures, shouldn't be in a category that's 'less likely' to "
                "be prosecuted. It is a form of sexual harassment."
            ),
        ),
        (
            "disagree",
            (
                "The framing here is unhelpful. 'Freedom of expression' gets used to defend "
                "behaviour that silences people. The women I work with have stopped posting "
                "altogether. Whose expression is being protected?"
            ),
        ),
        (
            "disagree",
            (
                "I think the threshold is fine for one-off comments but too high where the victim "
                "is vulnerable. Sending vile messages to a bereaved parent, or to a disabled "
                "person, should be taken much more seriously."
            ),
        ),
        (
            "neutral",
            (
                "I can see both sides. The high bar protects speech, but it needs to be paired "
                "with much better action by platforms, otherwise it leaves a huge gap where "
                "nothing happens to anyone."
            ),
        ),
        (
            "neutral",
            (
                "The principle is right but the wording is confusing. 'Grossly offensive' is a "
                "legal term that most people can't apply. Some clear examples of what is and isn't "
                "over the line would help everyone."
            ),
        ),
        (
            "neutral",
            (
                "Mostly agree. I'd like to see the guidance say that 'false' communications "
                "include fake accounts pretending to be someone else in order to humiliate them. "
                "Impersonation is common and very damaging."
            ),
        ),
        (
            "neutral",
            (
                "It really depends on the case. Context is everything online, and I think the "
                "guidance should say so much more strongly than it does."
            ),
        ),
        (
            "neutral",
            (
                "I work with young people, and a lot of what I see is grossly offensive but sent "
                "by 14-year-olds who don't understand the impact. Prosecution would be wrong for "
                "them, but so would nothing. I'd like the guidance to point towards education and "
                "restorative approaches as an alternative."
            ),
        ),
        (
            "neutral",
            (
                "I agree that the bar should be high for one-off messages. But the guidance should "
                "remember that a 'one-off' to the sender may be the hundredth message that day to "
                "the recipient, from different people. Prosecutors should be allowed to consider "
                "the wider pile-on when judging impact, even if they can only charge one sender."
            ),
        ),
        (
            "neutral",
            (
                "It's a fair balance for adults posting in public. Private messages sent directly "
                "to someone's inbox feel different to me; you can scroll past a public post, but "
                "you can't un-read something sent straight to you."
            ),
        ),
        (
            "neutral",
            (
                "I'd keep the threshold but make sure there's a clear route for cases that fall "
                "below it: to the platform, to mediation, to civil remedies. People need to be "
                "told where to go next rather than simply being turned away."
            ),
        ),
        (
            "neutral",
            (
                "The threshold itself is fine. What worries me is inconsistency; the same message "
                "seems to be 'grossly offensive' in one area and not in another."
            ),
        ),
        (
            "not_sure",
            (
                "I keep changing my mind on this one. I believe in free speech, but I've also seen "
                "what relentless abuse does to people. I don't know where the line should be."
            ),
        ),
        (
            "not_sure",
            (
                "I'm not sure ordinary people can judge this. It needs judges and lawyers to "
                "decide, and I'd trust their view more than my own instinct."
            ),
        ),
        (
            "agree",
            (
                "Yes. We should be very cautious about criminalising speech. The remedy for bad "
                "speech is usually more speech, plus decent moderation."
            ),
        ),
        (
            "agree",
            (
                "Agree. I would just ask for the guidance to be reviewed regularly, because what "
                "counts as grossly offensive in society does change over time."
            ),
        ),
        (
            "agree",
            (
                "Yes, and the guidance is right to mention the public interest test. A prosecution "
                "that makes an unpleasant person into a free speech martyr helps nobody."
            ),
        ),
        (
            "agree",
            (
                "Broadly yes. Our digital rights group published a short note on this at "
                "https://example.org/speech-and-offence which sets out why a high bar protects "
                "everyone, including victims who speak out and are then accused of being "
                "'offensive' themselves."
            ),
        ),
        (
            "disagree",
            (
                "I don't accept that this is about balance. Deliberately false claims that someone "
                "is a criminal, spread widely, can ruin a person's life. They deserve more than a "
                "high threshold."
            ),
        ),
        (
            "neutral",
            (
                "I'm comfortable with the threshold if the guidance also says clearly that hate "
                "crime aggravation applies in category 4 as well. Otherwise it reads as if hateful "
                "content is automatically low priority."
            ),
        ),
    ],
    3: [
        (
            "disagree",
            (
                "No. This is the biggest gap. Platforms delete posts after a report, the person "
                "who posted them deletes their account, and by the time anyone investigates there "
                "is nothing left. The guidance barely mentions it."
            ),
        ),
        (
            "disagree",
            (
                "Not nearly enough. I was told my screenshots 'weren't evidence' because they "
                "didn't prove who had sent the messages. Nobody told me what *would* count as "
                "evidence until it was too late."
            ),
        ),
        (
            "disagree",
            (
                "As a volunteer moderator, I'd say the guidance needs to speak directly to "
                "platforms. We remove things fast because that's what victims want, but we don't "
                "know what we're supposed to keep, for how long, or how to hand it over safely."
            ),
        ),
        (
            "disagree",
            (
                "No. It assumes the police will request data from the platform, but anyone who has "
                "tried knows those requests can take months, especially when the company is based "
                "abroad."
            ),
        ),
        (
            "disagree",
            (
                "Disagree. There should be a simple, standard way for victims to record what is "
                "happening: date, time, account name, link, screenshot. Our charity gives out a "
                "template at https://example.org/evidence-log, but it should come from the "
                "authorities so people take it seriously."
            ),
        ),
        (
            "disagree",
            (
                "The guidance is written as if evidence is a technical detail. For victims it's "
                "everything. Without evidence, the first three categories may as well not exist."
            ),
        ),
        (
            "agree",
            (
                "I think it says enough for prosecutors. Evidence gathering is mainly a police and "
                "platform matter, and I'd expect detail on that in separate guidance rather than "
                "here."
            ),
        ),
        (
            "agree",
            (
                "Broadly adequate. The reference to obtaining information from service providers "
                "is there. The practical problems are about resources, not about the wording of "
                "the guidance."
            ),
        ),
        (
            "agree",
            (
                "Yes, for what it is meant to do. Prosecution guidance shouldn't try to be an "
                "investigation manual; that is a job for the police and the platforms."
            ),
        ),
        (
            "agree",
            (
                "It covers the essentials. I'd only add that prosecutors should be reminded that a "
                "screenshot plus a credible witness statement can be enough in many cases; you "
                "don't always need data from the company."
            ),
        ),
        (
            "agree",
            (
                "I agree it's adequate, though the guidance should be cross-referenced with "
                "whatever the police publish, so that the two are consistent."
            ),
        ),
        (
            "agree",
            (
                "Reasonable. A short section on jurisdiction would help though, because so many "
                "abusive accounts are run from outside the country or through services based "
                "elsewhere."
            ),
        ),
        (
            "agree",
            (
                "It's a fair start. The important thing now is that officers actually read it, and "
                "that someone checks whether they are following it."
            ),
        ),
        (
            "neutral",
            (
                "Partly. It covers obtaining data from companies, but not what the victim should "
                "do in the meantime. Those first hours and days are when most evidence is lost."
            ),
        ),
        (
            "neutral",
            (
                "I'd like to see it address deleted messages in private apps and disappearing "
                "messages. More and more abuse happens in channels designed to leave no trace."
            ),
        ),
        (
            "neutral",
            (
                "The guidance mentions evidence, but not the emotional cost of collecting it. "
                "Asking someone to screenshot and log every abusive message means asking them to "
                "read every abusive message. Support services should be able to do this on a "
                "victim's behalf, and the guidance should recognise that."
            ),
        ),
        (
            "neutral",
            (
                "Evidence from group chats is a particular problem in schools. A pupil shows a "
                "teacher a screenshot; by the time anyone else sees it the chat has been cleared. "
                "We need clear advice on what a school can and can't do with that material."
            ),
        ),
        (
            "neutral",
            (
                "From a technical point of view, screenshots are easy to fake, so I understand why "
                "they're treated cautiously. But the answer is to tell people how to capture "
                "better evidence, such as saving the link, the account's unique ID and the time, "
                "not to dismiss what they bring."
            ),
        ),
        (
            "neutral",
            (
                "I think the guidance should push for platforms to keep removed content for a set "
                "period, available to police on request. That's probably a matter for law rather "
                "than prosecution guidance, but it should at least be flagged."
            ),
        ),
        (
            "neutral",
            (
                "Some of it is there, but it's scattered. A single section called something like "
                "*Obtaining social media evidence* would make it far easier to find."
            ),
        ),
        (
            "neutral",
            (
                "It's adequate for simple cases. For complex harassment involving dozens of "
                "accounts, prosecutors need guidance on how to show that the accounts are linked "
                "to one person."
            ),
        ),
        (
            "neutral",
            (
                "I'd ask for guidance on how evidence will be handled once it's in the system. "
                "Survivors of image-based abuse are terrified that their images will be passed "
                "around more people during an investigation. Knowing that such material will be "
                "kept to the smallest possible group would encourage more people to come forward."
            ),
        ),
        (
            "neutral",
            (
                "Adequate on paper. But from what I hear from victims, the failure tends to happen "
                "at the very first contact, when the officer says 'just block them' rather than "
                "'let's save this first'."
            ),
        ),
        (
            "not_sure",
            (
                "I'm not sure what the guidance actually says about this, to be honest. I read it "
                "twice and couldn't find a clear section on evidence."
            ),
        ),
        (
            "not_sure",
            (
                "Don't know. I suspect it depends heavily on which platform is involved; some are "
                "helpful and quick, while others ignore requests entirely."
            ),
        ),
        (
            "disagree",
            (
                "No. The guidance should say that the victim's own record of events, kept at the "
                "time, is valuable evidence and should be taken seriously. Too many people are "
                "made to feel their diary of abuse doesn't count."
            ),
        ),
        (
            "disagree",
            (
                "Disagree. It needs to spell out that people should not be told to delete their "
                "accounts before evidence is secured. That advice is still given and it destroys "
                "cases."
            ),
        ),
        (
            "agree",
            (
                "It's enough as a starting point. I'd rather they got the guidance out and "
                "improved it later than waited for a perfect version."
            ),
        ),
        (
            "disagree",
            (
                "Not enough. My case fell apart because the account was suspended by the platform "
                "after my report and the company then said it had no data left. Removing the abuse "
                "was right, but losing the evidence meant the man behind it faced no consequences "
                "at all and simply started again under a new name. If platforms can remove, they "
                "can also preserve.\n"
                "\n"
                "What I would like the guidance to say, in plain words, is this:\n"
                "\n"
                "1. the person reporting should be told to save links and screenshots *before* "
                "reporting to the platform;\n"
                "2. police should ask the platform to preserve data as soon as a report is "
                "recorded, not weeks later when the case is reviewed;\n"
                "3. a case should not be closed simply because the original posts have gone, if "
                "other evidence such as witness accounts or the victim's own log exists.\n"
                "\n"
                "None of that needs new law. It just needs people to take the first few days "
                "seriously."
            ),
        ),
        (
            "neutral",
            (
                "I'd like a clear statement on who pays for forensic examination of phones. "
                "Victims are sometimes asked to hand over their only phone for weeks, which is a "
                "huge barrier, especially for people who depend on it for work or to stay safe."
            ),
        ),
        (
            "agree",
            (
                "Yes. I was pleasantly surprised, actually. The officer in my case followed "
                "something very close to it and the evidence was secured within a day."
            ),
        ),
        (
            "neutral",
            (
                "The text is fine. What's missing is a timescale: how quickly should a request for "
                "evidence be made after a report? Days matter."
            ),
        ),
    ],
    4: [
        (
            "agree",
            (
                "Yes. Abuse that targets someone for who they are sends a message to everyone who "
                "shares that identity. The harm spreads far beyond the individual, and the law "
                "should reflect that."
            ),
        ),
        (
            "agree",
            (
                "Agree. As a nurse I've seen colleagues named and attacked in local Facebook "
                "groups after a death on the ward. They were doing their jobs. The guidance should "
                "protect people who serve the public."
            ),
        ),
        (
            "agree",
            (
                "Yes. Abuse of teachers by parents online is now routine. Knowing that it could "
                "count against the sender might make some people think twice."
            ),
        ),
        (
            "agree",
            (
                "Strongly agree. Online racist abuse is relentless and is too often treated as "
                "'just words'. It should be recognised as hate crime, the same as it would be on "
                "the street."
            ),
        ),
        (
            "agree",
            (
                "Yes. Disabled people are targeted online at very high rates and rarely see any "
                "action. Making it clear that hostility based on disability counts against the "
                "offender is overdue."
            ),
        ),
        (
            "agree",
            (
                "I agree. Councillors, especially at parish and town level, get no security and no "
                "press office. A clear statement from prosecutors that abuse of people in public "
                "service is taken seriously would matter a lot."
            ),
        ),
        (
            "agree",
            (
                "Yes, and the guidance should say clearly that this applies to abuse because of "
                "someone's sex or gender as well. Misogynistic abuse is the most common thing we "
                "see and the least often recognised."
            ),
        ),
        (
            "agree",
            (
                "Agree. Our network of LGBT+ youth groups hears constantly from young people who "
                "have received homophobic or transphobic messages. They need to know that this is "
                "taken seriously, not brushed off. A summary of what they told us is at "
                "https://example.org/youth-voices."
            ),
        ),
        (
            "agree",
            (
                "Yes. I'm a local journalist. When I cover a contentious planning decision I get "
                "threats. It's not about me, it's about trying to stop the story being told."
            ),
        ),
        (
            "agree",
            (
                "Yes, it should count against them. It's already how sentencing works offline for "
                "hostility based on protected characteristics. Online should be no different."
            ),
        ),
        (
            "agree",
            (
                "Agree, particularly for the public-service part. Judges, magistrates, police "
                "staff and council workers are all named online and it has a real chilling effect "
                "on people taking those roles."
            ),
        ),
        (
            "agree",
            (
                "Yes. If you target someone because of their religion, you are attacking a whole "
                "community. That deserves a stronger response."
            ),
        ),
        (
            "agree",
            (
                "Yes, and I'd add faith leaders and staff at places of worship, who are often the "
                "public face of a community and receive a lot of abuse after news events."
            ),
        ),
        (
            "disagree",
            (
                "I disagree with singling out people who serve the public. Why should abuse of a "
                "politician count for more than abuse of a shop worker? Everyone deserves the same "
                "protection."
            ),
        ),
        (
            "disagree",
            (
                "No. Elected representatives in particular need to accept a high level of "
                "criticism. Treating abuse of them as more serious risks chilling legitimate anger "
                "at people in power."
            ),
        ),
        (
            "disagree",
            (
                "Identity-based aggravation already exists in law and in sentencing. Repeating it "
                "in social media guidance adds nothing new and just makes the document longer."
            ),
        ),
        (
            "disagree",
            (
                "I'm against creating hierarchies of victims. It's the behaviour that should "
                "matter to prosecutors, not who it happens to be aimed at."
            ),
        ),
        (
            "neutral",
            (
                "I agree with the identity part. I'm less sure about the public-service part; it "
                "depends whether we're talking about abuse of a person or harsh criticism of how "
                "they do their job."
            ),
        ),
        (
            "neutral",
            (
                "In principle yes. But I'd like the guidance to make sure that criticism of public "
                "bodies, including the police and prosecutors themselves, is clearly protected. "
                "The line between 'abusing someone who serves the public' and 'complaining loudly "
                "about a public service' needs to be drawn carefully."
            ),
        ),
        (
            "neutral",
            (
                "It should count, but only where the evidence shows hostility based on the "
                "characteristic. Otherwise every case will turn into an argument about motive."
            ),
        ),
        (
            "neutral",
            (
                "I work in HR for a local authority. Our staff are abused online regularly, and "
                "yes, it should count against the offender. But the bigger need is for employers "
                "to support staff to report it, which this guidance can't do."
            ),
        ),
        (
            "neutral",
            (
                "Yes for hate, maybe for public servants. I'd want to see a definition. Does a "
                "volunteer running a food bank count? A school governor? A bus driver?"
            ),
        ),
        (
            "neutral",
            (
                "Mostly agree. It would be good for the guidance to explain that community impact "
                "statements can be used to show how abuse aimed at one person affected a wider "
                "group."
            ),
        ),
        (
            "neutral",
            (
                "I support it, but it should come with data. We need to know how often these "
                "factors are applied in online cases, broken down by characteristic, so we can see "
                "whether the guidance is making any difference at all."
            ),
        ),
        (
            "neutral",
            (
                "Identity-based abuse, yes. I'm more hesitant about politicians, but I accept that "
                "threats against them should be treated seriously because of what they do to "
                "democracy."
            ),
        ),
        (
            "neutral",
            (
                "I'd like the guidance to acknowledge people who are targeted for more than one "
                "reason, for example a Black woman MP, whose experience of abuse is not just the "
                "sum of racism and sexism but something worse than either. Prosecutors should look "
                "at the whole picture rather than picking one box.\n"
                "\n"
                "In our research with women of colour in local politics, nearly every participant "
                "described abuse that mixed racist and sexist language, often alongside threats "
                "about their families. Several had been advised to 'pick one' when reporting, as "
                "if the police form only had room for a single motive. The result was that the "
                "seriousness of what they faced was understated from the very first step.\n"
                "\n"
                "We would like the guidance to:\n"
                "\n"
                "- state that more than one aggravating factor can apply to the same message;\n"
                "- encourage prosecutors to use community impact statements where abuse affects a "
                "wider group;\n"
                "- ask for outcomes to be recorded in a way that makes combined targeting visible "
                "in the statistics.\n"
                "\n"
                "Our full submission is summarised at https://example.org/intersecting-abuse."
            ),
        ),
        (
            "neutral",
            (
                "That's fine by me, as long as it doesn't mean that cases involving ordinary "
                "members of the public get pushed further down the queue."
            ),
        ),
        (
            "not_sure",
            (
                "I'm unsure. I agree that hateful abuse is worse, but I'm uncomfortable with the "
                "idea that some jobs earn more protection than others."
            ),
        ),
        (
            "not_sure",
            (
                "No strong view either way. I'd want to hear from people who have actually been "
                "through the courts with a case like this before deciding."
            ),
        ),
        (
            "agree",
            (
                "Yes, and it should include the family of public servants too. My partner is a "
                "police officer and our children's photos were shared in a thread with our home "
                "town. That crosses a line."
            ),
        ),
        (
            "agree",
            (
                "Agree. It sends a clear signal: attacking someone *because* they are a teacher, a "
                "nurse, or Jewish, or gay, or disabled, is not just rudeness. It's an attempt to "
                "drive them out of public life."
            ),
        ),
        (
            "neutral",
            (
                "I'd accept this for identity-based hostility. For public servants, I'd rather see "
                "better protection at work than a change in prosecution guidance."
            ),
        ),
    ],
}

# Answers to the open consultations: slug -> 0-based question index -> (stance, markdown).
OPEN_ANSWERS: dict[str, dict[int, list[tuple[str, str]]]] = {
    "updating-the-law-on-online-abuse": {
        0: [
            (
                "agree",
                (
                    "Yes. Every stalking victim I have supported has been contacted online after "
                    "an order was made. Having to go back to court to get the order changed is "
                    "exhausting and expensive."
                ),
            ),
            (
                "agree",
                (
                    "Obviously yes. An order that stops someone knocking on your door but lets "
                    "them message you forty times a day isn't protecting you."
                ),
            ),
            (
                "agree",
                (
                    "Agree. Orders should also cover contact *through other people*, such as "
                    "friends tagging you, new accounts, or messages passed on through your "
                    "children's accounts."
                ),
            ),
            (
                "neutral",
                (
                    "I'd support this if the wording is clear. Vague orders are hard to enforce, "
                    "and a badly drafted 'online' clause could accidentally stop someone using "
                    "ordinary services like school parent apps."
                ),
            ),
            (
                "agree",
                (
                    "Yes. When I got my order, nobody mentioned online contact, and when he "
                    "started messaging me the police said the order 'didn't cover it'. I had to "
                    "start again from scratch."
                ),
            ),
            (
                "disagree",
                (
                    "I'm not sure 'automatically' is right. Courts should consider online contact "
                    "in every case, yes, but each order needs to fit the circumstances, including "
                    "shared childcare arrangements."
                ),
            ),
        ],
        1: [
            (
                "agree",
                (
                    "Yes. The fear of being named in the paper is one of the main reasons people "
                    "don't report. It's a sexual offence in all but name."
                ),
            ),
            (
                "agree",
                (
                    "Absolutely. Having your private images shared is humiliating enough. Having "
                    "your name attached to press coverage of the case means the humiliation goes "
                    "on forever."
                ),
            ),
            (
                "agree",
                (
                    "Yes. As a support worker I've watched people withdraw their complaint the "
                    "moment they realised the case might be reported with their name. Anonymity "
                    "would change that."
                ),
            ),
            (
                "neutral",
                (
                    "In principle yes. I'd want to understand how it would work online, where "
                    "people often already know who the victim is because of the images themselves."
                ),
            ),
            (
                "not_sure",
                (
                    "I agree with the aim, but I'm not sure whether anonymity rules can be "
                    "enforced against people posting on social media rather than newspapers."
                ),
            ),
            (
                "agree",
                (
                    "Yes, and it should apply from the moment a complaint is made, not only once "
                    "someone is charged."
                ),
            ),
        ],
        2: [
            (
                "agree",
                (
                    "Yes. The current laws are a maze. Ordinary people should be able to look up "
                    "whether something done to them is a crime without needing a law degree."
                ),
            ),
            (
                "neutral",
                (
                    "Maybe. A single offence sounds tidy, but the different offences cover quite "
                    "different behaviour. Merging them could make some cases harder to prove."
                ),
            ),
            (
                "disagree",
                (
                    "I disagree. A new 'online abuse' offence risks being drafted so broadly that "
                    "it catches heated but legitimate speech. The existing offences have been "
                    "tested in court; better to fix their gaps."
                ),
            ),
            (
                "agree",
                (
                    "I'd support it if it's based on harm to a person rather than on the "
                    "technology. Laws written for a particular technology go out of date quickly, "
                    "as we've seen."
                ),
            ),
            (
                "neutral",
                (
                    "The law itself matters less than how well it's enforced. I'd put the energy "
                    "into training and resources first."
                ),
            ),
        ],
        3: [
            (
                "agree",
                (
                    "Yes. The threat is the abuse. It is used to control people, often for months, "
                    "and at the moment there's nothing to be done unless the images are actually "
                    "shared."
                ),
            ),
            (
                "agree",
                (
                    "Definitely. I work with young people who are being blackmailed with images "
                    "they sent. The threat itself causes panic and, in some tragic cases, "
                    "self-harm. It must be an offence."
                ),
            ),
            (
                "agree",
                (
                    "Agree. In domestic abuse cases the threat to share images is one of the most "
                    "common forms of control we see. Making it an offence would give survivors a "
                    "way out before the worst happens."
                ),
            ),
            (
                "neutral",
                (
                    "I think it probably already falls under blackmail or harassment in many "
                    "cases. A specific offence might help people recognise it, though."
                ),
            ),
            (
                "agree",
                (
                    "Yes. Waiting for the images to be shared before the law steps in is like "
                    "waiting for a threat to be carried out before the police will act."
                ),
            ),
        ],
    },
    "policing-online-abuse": {
        0: [
            (
                "agree",
                (
                    "Yes. The first officer I spoke to didn't know what a direct message was. I "
                    "had to explain the basics before I could even describe what was happening."
                ),
            ),
            (
                "agree",
                (
                    "Agree. Training doesn't need to be long. Even a few hours on the main "
                    "offences and on what *not* to say, like 'just come off social media', would "
                    "help enormously."
                ),
            ),
            (
                "agree",
                (
                    "As a retired officer, yes. We were expected to deal with online crime without "
                    "ever being shown how. That isn't fair on officers or on the public."
                ),
            ),
            (
                "neutral",
                (
                    "Training is good, but officers already have endless mandatory courses. It has "
                    "to be practical and short, or it will be clicked through and forgotten."
                ),
            ),
            (
                "agree",
                (
                    "Yes, and the training should include people who have been through it telling "
                    "their own stories. That sticks far better than slides."
                ),
            ),
            (
                "disagree",
                (
                    "Not every officer needs in-depth training. What they need is to know who to "
                    "pass the case to. I'd invest in specialists instead."
                ),
            ),
        ],
        1: [
            (
                "agree",
                (
                    "Yes for complex cases. Tracing accounts across platforms and countries needs "
                    "skills that a local station simply won't have."
                ),
            ),
            (
                "disagree",
                (
                    "No. Most online abuse is committed by someone local, often someone the victim "
                    "knows. Local officers understand the context and can act faster. Sending it "
                    "off to a regional unit means delay."
                ),
            ),
            (
                "neutral",
                (
                    "Both. Local officers should handle the first response and straightforward "
                    "cases; specialists should be on call to advise and take over the hardest ones."
                ),
            ),
            (
                "neutral",
                (
                    "It depends how specialist units are run. If they become a black hole where "
                    "cases wait months, they'll make things worse."
                ),
            ),
            (
                "agree",
                (
                    "Yes. Specialist units also build relationships with platforms, which makes "
                    "evidence requests much faster."
                ),
            ),
        ],
        2: [
            (
                "agree",
                (
                    "Yes. Not knowing what's happening is the worst part. I found out my case had "
                    "been closed three months after it happened, from a letter."
                ),
            ),
            (
                "agree",
                (
                    "A named contact would make a huge difference. Having to explain your case "
                    "from the start to a different person each time you call is retraumatising."
                ),
            ),
            (
                "agree",
                (
                    "Yes, and updates should be given in the way the person chooses. Some people "
                    "want a phone call; others can't take calls safely and need a text or email."
                ),
            ),
            (
                "neutral",
                (
                    "I agree in principle, but it must be realistic. A promise of regular updates "
                    "that isn't kept is worse than no promise at all."
                ),
            ),
            (
                "agree",
                (
                    "Yes. Victim support services can help here too, if the police refer people to "
                    "them early rather than at the end."
                ),
            ),
            (
                "not_sure",
                (
                    "I'm not sure this is possible with current staffing. I'd rather see a simple "
                    "online tracker where people can check progress for themselves."
                ),
            ),
        ],
        3: [
            (
                "agree",
                (
                    "Yes. Most people don't know how to save evidence properly until it's too "
                    "late. A simple checklist published by the police would be taken seriously by "
                    "platforms and courts."
                ),
            ),
            (
                "agree",
                (
                    "Agree. Guidance should cover saving the link and the account name, not just a "
                    "screenshot, and should say *don't* confront the person or delete your account "
                    "first."
                ),
            ),
            (
                "neutral",
                (
                    "Helpful, but it puts all the work on victims. Platforms should be preserving "
                    "evidence too."
                ),
            ),
            (
                "agree",
                (
                    "Yes. Our charity already produces this kind of guide, but people trust it "
                    "more when it comes from the police. A joint version would be ideal."
                ),
            ),
            (
                "neutral",
                (
                    "As long as it's written in plain language and available in different "
                    "languages. Official guidance is often unreadable."
                ),
            ),
        ],
    },
    "what-we-expect-from-platforms": {
        0: [
            (
                "agree",
                (
                    "Yes. If I can't find or understand the rules, I can't tell whether something "
                    "I'm reporting breaks them. And being told nothing after a report makes you "
                    "feel like you're shouting into the void."
                ),
            ),
            (
                "agree",
                (
                    "Agree. Even a simple message saying *we removed this* or *we didn't remove "
                    "this, and here is why* would be a huge step forward from the canned replies "
                    "most services send."
                ),
            ),
            (
                "agree",
                (
                    "Yes. As a moderator of a mid-sized forum I can tell you it isn't that hard to "
                    "tell reporters what happened. It just needs to be part of the workflow from "
                    "the start."
                ),
            ),
            (
                "neutral",
                (
                    "I agree about plain-language rules. Telling reporters the outcome is "
                    "trickier: sometimes it would reveal private information about the reported "
                    "user, or tip off an abuser that they've been reported."
                ),
            ),
            (
                "agree",
                (
                    "Absolutely. Rules should also be easy to find from every page, not buried "
                    "four clicks deep in a help centre."
                ),
            ),
            (
                "disagree",
                (
                    "Outcome notices sound nice but large platforms get millions of reports. "
                    "Better to focus on getting decisions right than on sending notifications."
                ),
            ),
        ],
        1: [
            (
                "disagree",
                (
                    "No. Blocking one account is pointless when the same person makes a new one in "
                    "thirty seconds. Tools need to work against the person, not just the account."
                ),
            ),
            (
                "neutral",
                (
                    "Some platforms have good tools now, like filtering replies by keyword or "
                    "limiting replies to people you follow. But they're hard to find and the "
                    "defaults are poor."
                ),
            ),
            (
                "disagree",
                (
                    "Not enough. I'd like to be able to hide a whole pile-on with one click, or "
                    "switch on a 'quiet mode' when something goes viral."
                ),
            ),
            (
                "agree",
                (
                    "The tools are mostly there on the big networks. What's missing is awareness. "
                    "Nobody tells you about them until after you've been targeted."
                ),
            ),
            (
                "disagree",
                (
                    "No, and the tools put the burden on the person being abused. I shouldn't have "
                    "to spend an evening blocking hundreds of accounts. The platform should be "
                    "stopping them."
                ),
            ),
            (
                "neutral",
                (
                    "It varies hugely. Some of the smaller apps young people use have almost no "
                    "safety features at all."
                ),
            ),
        ],
        2: [
            (
                "agree",
                (
                    "Yes. When someone is being targeted they are often too overwhelmed to report "
                    "anything themselves. Friends should be able to do it for them."
                ),
            ),
            (
                "agree",
                (
                    "Agree. Our charity tries to report abuse on behalf of clients and is "
                    "frequently told only the account holder can complain. That policy protects "
                    "abusers, not victims."
                ),
            ),
            (
                "neutral",
                (
                    "Yes, but there needs to be protection against mass false reporting. "
                    "Coordinated reports are sometimes used to get people banned."
                ),
            ),
            (
                "agree",
                (
                    "Yes. If you saw someone being harassed in a shop, you'd tell the staff. "
                    "Online should be no different."
                ),
            ),
            (
                "neutral",
                (
                    "In principle yes, though the person targeted should be kept in control. They "
                    "might not want a report made, for reasons others can't see."
                ),
            ),
        ],
        3: [
            (
                "agree",
                (
                    "Yes. Without numbers we are just taking the companies' word for it. Regular "
                    "reports would let researchers and the public see whether things are getting "
                    "better."
                ),
            ),
            (
                "agree",
                (
                    "Agree, and the reports should break things down by type of abuse and by "
                    "country, and include how long it takes to respond to reports."
                ),
            ),
            (
                "neutral",
                (
                    "Transparency reports are only useful if the figures are independently "
                    "checked. Otherwise they become a marketing document."
                ),
            ),
            (
                "agree",
                (
                    "Yes. Smaller platforms could publish a simpler version. Even a few numbers a "
                    "year would be better than nothing."
                ),
            ),
            (
                "neutral",
                (
                    "I'd support it, but what really matters is whether the reports lead to "
                    "anything. Who reads them and what happens if the numbers are bad?"
                ),
            ),
            (
                "agree",
                (
                    "Yes. We publish our community's moderation numbers every quarter at "
                    "https://example.org/moderation-stats. It took a volunteer one afternoon to "
                    "set up, so big companies have no excuse."
                ),
            ),
        ],
        4: [
            (
                "agree",
                (
                    "Yes. I've been abused by anonymous accounts for years. I don't need to know "
                    "their names, but *someone* should, so that the police can act if it's "
                    "criminal."
                ),
            ),
            (
                "agree",
                (
                    "That's exactly the right balance. Pseudonyms protect people who'd be at risk "
                    "if their names were public, like survivors, whistleblowers and LGBT+ people "
                    "in unsupportive families, while stopping people hiding behind total anonymity."
                ),
            ),
            (
                "disagree",
                (
                    "I disagree. Whoever holds the real identities becomes a target for hackers "
                    "and for governments. Genuine anonymity is sometimes the only thing keeping "
                    "vulnerable people safe."
                ),
            ),
            (
                "neutral",
                (
                    "It works for a consultation site like this. I'm less sure it would work for a "
                    "global social network, where 'verified identity' means something very "
                    "different in different countries."
                ),
            ),
            (
                "not_sure",
                (
                    "I'm torn. I like the accountability, but I worry that people with good "
                    "reasons to hide, like domestic abuse survivors, would be put off joining at "
                    "all."
                ),
            ),
            (
                "agree",
                (
                    "Yes. It's how most offline communities work: people know who you are even if "
                    "they call you by a nickname."
                ),
            ),
        ],
    },
    "online-abuse-and-work": {
        0: [
            (
                "agree",
                (
                    "Yes. I'm a teacher, and when parents started a page attacking me the school's "
                    "only advice was 'don't engage'. I needed practical help and I got none."
                ),
            ),
            (
                "agree",
                (
                    "Agree. If abuse happens because of your job, it's a workplace issue. "
                    "Employers should provide legal advice, time off and help with reporting, just "
                    "as they would after an assault at work."
                ),
            ),
            (
                "agree",
                (
                    "As a union rep I'd welcome an explicit duty. At the moment every case is a "
                    "negotiation, and the outcome depends on how sympathetic the manager happens "
                    "to be."
                ),
            ),
            (
                "neutral",
                (
                    "Yes for larger employers. Small businesses would need support and templates; "
                    "they simply don't have HR departments."
                ),
            ),
            (
                "agree",
                (
                    "Yes. Simple things help: taking staff surnames off public web pages, letting "
                    "people use a work alias, and having a named person to go to."
                ),
            ),
            (
                "disagree",
                (
                    "I'm not sure a new legal duty is needed. Existing health and safety duties "
                    "already cover this if employers took them seriously. Enforce what we've got."
                ),
            ),
        ],
        1: [
            (
                "agree",
                (
                    "Yes. Most social media policies I've seen are about not embarrassing the "
                    "company. Hardly any mention bullying colleagues in a group chat, which is "
                    "where the harm actually happens."
                ),
            ),
            (
                "agree",
                "Agree. Workplace bullying has moved onto phones. Policies need to catch up.",
            ),
            (
                "neutral",
                (
                    "Yes, but carefully. Employers shouldn't be monitoring staff's personal "
                    "accounts. The policy should cover conduct that affects colleagues, not "
                    "everything people post."
                ),
            ),
            (
                "agree",
                (
                    "Yes. In my team the worst harassment happened in a WhatsApp group that "
                    "excluded one colleague and mocked her. HR said it was 'outside work'. It "
                    "clearly wasn't."
                ),
            ),
            (
                "disagree",
                (
                    "I'm uneasy about this. It gives employers a lot of power over what people say "
                    "in their own time. I'd want strong safeguards before widening policies."
                ),
            ),
        ],
        2: [
            (
                "agree",
                (
                    "Yes. If a party member threatens an opponent online, the party should act, "
                    "just as it would if they did it at a public meeting."
                ),
            ),
            (
                "agree",
                (
                    "Agree. Codes of conduct mean nothing if they aren't enforced. Complaints "
                    "processes need to be quick, independent and transparent about outcomes."
                ),
            ),
            (
                "neutral",
                (
                    "It depends on the organisation. A political party has influence over its "
                    "members; a sports club much less so. Expectations should be proportionate."
                ),
            ),
            (
                "neutral",
                (
                    "I agree, but processes must be fair. Complaints are sometimes used as weapons "
                    "in internal disputes, and people need a right to respond."
                ),
            ),
            (
                "agree",
                (
                    "Yes. Our union adopted an online conduct code last year and it has made a "
                    "real difference. Members know what is expected, and those targeted know "
                    "they'll be backed. Details at https://example.org/union-online-code."
                ),
            ),
        ],
    },
    "growing-up-online": {
        0: [
            (
                "agree",
                (
                    "Yes. By the time children are eleven most of them already have phones. "
                    "Learning about kindness, consent and privacy online can't wait until "
                    "secondary school."
                ),
            ),
            (
                "agree",
                (
                    "As a primary teacher, yes. The younger children are very receptive. They "
                    "understand 'would you say that to someone's face?' far better than teenagers "
                    "do."
                ),
            ),
            (
                "neutral",
                (
                    "Yes, but it must be age-appropriate and parents should be involved. Many "
                    "parents know less about the apps than their children do."
                ),
            ),
            (
                "agree",
                (
                    "Yes. And it shouldn't just be a one-off assembly. It needs to be part of "
                    "regular lessons, taught by people who feel confident doing it."
                ),
            ),
            (
                "neutral",
                (
                    "I agree with starting early, but teachers need training and time. At the "
                    "moment it gets squeezed between everything else."
                ),
            ),
            (
                "disagree",
                (
                    "I'm not convinced schools are the right place for all of this. Families have "
                    "a bigger role, and schools are already overloaded."
                ),
            ),
        ],
        1: [
            (
                "disagree",
                (
                    "No. Young people don't report because they think adults will overreact, take "
                    "their phone, or tell everyone. Until that changes, reporting tools won't be "
                    "used."
                ),
            ),
            (
                "disagree",
                (
                    "Not really. The report buttons on apps feel pointless to most teenagers I "
                    "work with. They've reported things and nothing happened."
                ),
            ),
            (
                "neutral",
                (
                    "Some are good, like anonymous reporting in school or trusted helplines. But "
                    "young people don't always know about them."
                ),
            ),
            (
                "disagree",
                (
                    "As a sixteen-year-old: no. Everyone knows reporting doesn't do anything. We "
                    "just screenshot it and send it to friends instead."
                ),
            ),
            (
                "neutral",
                (
                    "Reporting to a trusted adult works when the adult responds well. We need to "
                    "train adults as much as we inform young people."
                ),
            ),
        ],
        2: [
            (
                "agree",
                (
                    "Yes. The abuse doesn't stay outside school. It walks into the classroom the "
                    "next morning with everyone who saw it."
                ),
            ),
            (
                "neutral",
                (
                    "Schools should act on the effects in school, yes. But they can't be expected "
                    "to investigate everything that happens at midnight on a weekend. Parents and "
                    "platforms need to play their part."
                ),
            ),
            (
                "agree",
                (
                    "Yes. As a parent, the school was the only place that could bring both "
                    "families together and sort it out. The police weren't interested, and the app "
                    "did nothing."
                ),
            ),
            (
                "neutral",
                (
                    "It depends on the seriousness. For minor fall-outs, a conversation is enough. "
                    "For threats or image sharing, schools should involve other agencies straight "
                    "away."
                ),
            ),
            (
                "disagree",
                (
                    "I worry about giving schools too much reach into pupils' private lives. "
                    "Support yes, punishment for things outside school less so."
                ),
            ),
        ],
        3: [
            (
                "agree",
                (
                    "Yes. Young people listen to each other far more than they listen to us. Our "
                    "peer mentor scheme reduced reports of bullying in the first year."
                ),
            ),
            (
                "agree",
                (
                    "Definitely. When older students talk about what happened to them online, "
                    "younger ones pay attention in a way they never do for a visiting speaker."
                ),
            ),
            (
                "neutral",
                (
                    "They can do a lot, but they need support and shouldn't be left to carry the "
                    "responsibility alone. It's adults who run the platforms and make the rules."
                ),
            ),
            (
                "agree",
                (
                    "Yes. Youth-led campaigns feel real. The ones designed by adults often come "
                    "across as cringe and get ignored."
                ),
            ),
            (
                "not_sure",
                (
                    "Possibly. I've seen peer schemes work brilliantly in one school and fall flat "
                    "in another. It seems to depend on whether the staff really back it."
                ),
            ),
        ],
    },
}

# Short replies that read naturally under most answers.
REPLIES: list[str] = [
    (
        "I agree with the point about evidence, but I think the platforms should carry more of "
        "that burden than victims do."
    ),
    "This is exactly what happened to me. Thank you for putting it so clearly.",
    (
        "Really useful perspective, especially the part about training. I hadn't thought about how "
        "little time officers get for it."
    ),
    (
        "I see where you're coming from, but I'd be careful about removing discretion altogether. "
        "Every case is different."
    ),
    "Well put. The bit about being kept informed is so important and so often forgotten.",
    (
        "Could you say more about how that worked in practice? I'd love to suggest something "
        "similar in our area."
    ),
    (
        "I partly agree. The principle is right, but I'm not sure the resources exist to make it "
        "happen."
    ),
    "Thank you for sharing this. It can't have been easy to write.",
    (
        "I respectfully disagree. I think a lower threshold would end up being used against the "
        "very people it's meant to protect."
    ),
    "Yes! The 'just block them' advice drives me mad too.",
    (
        "Good point about young people. The guidance really does read as if it were written only "
        "with adults in mind."
    ),
    (
        "I work in a similar role and our experience has been much the same. It's reassuring to "
        "know it isn't just us."
    ),
    (
        "Interesting. I'd come to the opposite conclusion, but you've given me something to think "
        "about."
    ),
    (
        "Agreed on the need for clear examples. Abstract definitions don't help anyone on a busy "
        "shift."
    ),
    "This matches what our helpline hears every week.",
    (
        "I'm not sure I agree that platforms should decide this on their own. Some independent "
        "oversight seems essential."
    ),
    "Strongly agree. Silence after a report is the thing people complain about most.",
    (
        "That's a fair concern about false reports. Maybe a limit on how many reports one account "
        "can make would help?"
    ),
    (
        "The point about shared childcare arrangements is a really important one that often gets "
        "overlooked."
    ),
    "I'd add that support should be available whether or not someone wants to go to the police.",
    "Thank you. As a moderator I'd say you're right that it's mostly about workflow, not cost.",
    "I understand the free speech worry, but being driven offline is also a loss of free speech.",
    (
        "Totally agree that a one-page summary for the public would help. Most people will never "
        "read the full document."
    ),
    (
        "I'd gently push back here: some of the smaller platforms really can't afford dedicated "
        "staff. They need support, not just rules."
    ),
    (
        "Same experience here. The second officer I spoke to was brilliant; the first didn't want "
        "to know."
    ),
    (
        "Would a template evidence log from an official body really be trusted more? I hope so, "
        "but I'm not certain."
    ),
    "This is a really balanced answer. Thank you.",
    (
        "I hadn't considered the risk of the evidence itself being shared more widely during an "
        "investigation. That's a strong argument for care."
    ),
    (
        "Agree with most of this, though I think the word 'always' is doing a lot of work in the "
        "question."
    ),
    (
        "I'm a teacher too and I'd say the same. Practical help matters far more than a policy on "
        "a shelf."
    ),
    "Yes, and the defaults matter. Most people never change their settings.",
    (
        "I'd question whether a separate offence is needed, but I completely agree the threat "
        "itself is harmful."
    ),
    "That union code sounds excellent. Is it something other organisations could adapt?",
    (
        "As a parent, this really resonates. Taking the phone away is the first thing we think of, "
        "and it's exactly what stops children telling us anything."
    ),
    (
        "You make a good case. I still think local officers should be the first point of contact, "
        "though."
    ),
    (
        "I agree that pile-ons need their own answer. No single message looks criminal, but "
        "together they are overwhelming."
    ),
    "Fair point about data. Without numbers we can't tell whether anything is improving.",
    (
        "I'm not sure about this one. Couldn't the same tools be used to silence people who are "
        "simply disagreeing?"
    ),
    "Thank you for raising disability. It is left out of these discussions far too often.",
    "Completely agree that impersonation deserves more attention. It's incredibly distressing.",
    "Helpful link, thanks. I've shared it with our volunteers.",
    "I think we agree on the goal and differ on the route, which is fine.",
    "Speaking as a survivor, I'd say anonymity in the press would have made me report much sooner.",
    "I wonder whether mediation could play a bigger part for cases below the threshold.",
    "Good to see someone mention jurisdiction. So many accounts are based overseas.",
]

# Pseudonyms are built as Adjective + Noun + number, e.g. "QuietHeron42".
PSEUDONYM_ADJECTIVES: list[str] = [
    "quiet",
    "bright",
    "gentle",
    "brave",
    "calm",
    "clever",
    "kind",
    "steady",
    "bold",
    "swift",
    "merry",
    "sunny",
    "mellow",
    "patient",
    "lively",
    "cheerful",
    "curious",
    "eager",
    "friendly",
    "graceful",
    "hopeful",
    "honest",
    "humble",
    "jolly",
    "keen",
    "lucky",
    "mighty",
    "nimble",
    "noble",
    "plucky",
    "proud",
    "quick",
    "radiant",
    "serene",
    "shiny",
    "silver",
    "golden",
    "sincere",
    "smiling",
    "spirited",
    "sturdy",
    "thoughtful",
    "tidy",
    "trusty",
    "warm",
    "wise",
    "witty",
    "zesty",
    "breezy",
    "cosy",
    "dapper",
    "earnest",
    "fearless",
    "gallant",
    "glad",
    "hardy",
    "jaunty",
    "loyal",
    "modest",
    "peaceful",
    "playful",
    "polite",
    "rosy",
    "snug",
    "spry",
    "tender",
    "upbeat",
    "valiant",
    "vivid",
    "wandering",
    "wistful",
    "young",
    "amber",
    "azure",
    "coral",
    "misty",
]

PSEUDONYM_NOUNS: list[str] = [
    "heron",
    "wren",
    "robin",
    "kestrel",
    "swift",
    "lark",
    "finch",
    "owl",
    "plover",
    "curlew",
    "puffin",
    "starling",
    "thrush",
    "osprey",
    "falcon",
    "sparrow",
    "swallow",
    "magpie",
    "kingfisher",
    "oak",
    "ash",
    "birch",
    "rowan",
    "willow",
    "alder",
    "hazel",
    "elm",
    "beech",
    "holly",
    "maple",
    "cedar",
    "juniper",
    "aspen",
    "linden",
    "river",
    "brook",
    "stream",
    "lake",
    "harbour",
    "estuary",
    "meadow",
    "moor",
    "valley",
    "glen",
    "fell",
    "ridge",
    "canyon",
    "orchard",
    "comet",
    "star",
    "nova",
    "aurora",
    "meteor",
    "nebula",
    "planet",
    "moon",
    "orbit",
    "badger",
    "otter",
    "hare",
    "fox",
    "vole",
    "lynx",
    "stag",
    "marten",
    "beacon",
    "lantern",
    "compass",
    "anchor",
    "pebble",
]

# Invented organisations; any resemblance to a real body is unintended.
ORGANISATION_NAMES: list[str] = [
    "Safer Screens Trust",
    "Northgate Survivors' Network",
    "Open Harbour Domestic Abuse Service",
    "The Clearline Helpline",
    "United Public Service Workers' Union",
    "Brightwater Schools Learning Trust",
    "Society of Civic Advocates",
    "Digital Dignity Alliance",
    "Riverside Youth Collective",
    "Kindred Voices LGBT+ Youth Network",
    "The Fairspeech Foundation",
    "Moorland Community Moderators' Forum",
]
